import { PageHeader } from '../../ui/page-header';
import { useActiveBp } from '../auth/current-session';
import { roleAtLeast } from '../auth/roles';
import { InvitationsTable } from './invitations-table';
import { InviteForm } from './invite-form';
import { MembersTable } from './members-table';

export function TeamPage() {
  const bp = useActiveBp();
  const canManage = roleAtLeast(bp.role, 'admin');
  return (
    <>
      <PageHeader
        title="Team"
        description={
          canManage
            ? `People with access to ${bp.bpName}. Changing roles and removing members asks you to confirm it's you.`
            : `People with access to ${bp.bpName}. Only admins and owners can invite or change members.`
        }
      />
      {canManage && <InviteForm />}
      <MembersTable />
      <InvitationsTable />
    </>
  );
}
