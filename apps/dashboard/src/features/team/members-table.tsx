import { formatDate } from '../../ui/format';
import { ProblemAlert } from '../../ui/problem-alert';
import { useActiveBp, useCurrentSession } from '../auth/current-session';
import { outranks, ROLE_LABELS, roleAtLeast } from '../auth/roles';
import { MemberRoleSelect } from './member-role-select';
import { RemoveMemberButton } from './remove-member-button';
import { type Member, useMembers } from './team-api';

export function MembersTable() {
  const { user } = useCurrentSession();
  const bp = useActiveBp();
  const members = useMembers(bp.bpId);
  const canManage = roleAtLeast(bp.role, 'admin');

  // Mirrors the server: admins manage non-owners; only owners touch owners; anyone may leave.
  const canEditRole = (member: Member) => canManage && member.userId !== user.id && (bp.role === 'owner' || member.role !== 'owner');
  // A Business Partner must keep an owner, so the last one is offered neither leave nor remove.
  const ownerCount = members.data?.filter((m) => m.role === 'owner').length ?? 0;
  const canRemove = (member: Member) =>
    !(member.role === 'owner' && ownerCount <= 1) && (member.userId === user.id || (canManage && !outranks(member.role, bp.role)));

  return (
    <section className="panel panel-flush" aria-labelledby="members-title">
      <div className="panel-header">
        <h2 id="members-title">Members</h2>
        {members.data !== undefined && <span className="muted">{members.data.length === 1 ? '1 member' : `${members.data.length} members`}</span>}
      </div>
      <ProblemAlert error={members.error} />
      {members.isPending && <p className="muted panel-body">Loading members…</p>}
      {members.data !== undefined && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Two-factor</th>
              <th scope="col">Joined</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.data.map((member) => (
              <tr key={member.userId}>
                <td>
                  <div className="cell-primary">
                    {member.name}
                    {member.userId === user.id && <span className="badge badge-neutral">You</span>}
                  </div>
                  <div className="cell-secondary">{member.email}</div>
                </td>
                <td>{canEditRole(member) ? <MemberRoleSelect bpId={bp.bpId} member={member} myRole={bp.role} /> : ROLE_LABELS[member.role]}</td>
                <td>{member.totpEnabled ? <span className="badge badge-success">On</span> : <span className="badge badge-neutral">Off</span>}</td>
                <td>{formatDate(member.joinedAt)}</td>
                <td className="cell-actions">
                  {canRemove(member) && <RemoveMemberButton bpId={bp.bpId} bpName={bp.bpName} member={member} isSelf={member.userId === user.id} />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
