import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ProblemAlert } from '../../ui/problem-alert';
import { SelectField } from '../../ui/select-field';
import { useReauth } from '../auth/reauth/reauth-context';
import { ROLE_LABELS, ROLES } from '../auth/roles';
import type { Role } from '../auth/session-types';
import { type Member, teamApi, teamKeys } from './team-api';

interface MemberRoleSelectProps {
  readonly bpId: string;
  readonly member: Member;
  readonly myRole: Role;
}

function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Role changes are sensitive: the server may ask the user to confirm it's them first. */
export function MemberRoleSelect({ bpId, member, myRole }: MemberRoleSelectProps) {
  const client = useQueryClient();
  const withReauth = useReauth();
  const change = useMutation({
    mutationFn: (role: Role) => withReauth(() => teamApi.changeRole(bpId, member.userId, role)),
    onSettled: () => client.invalidateQueries({ queryKey: teamKeys.members(bpId) }),
  });
  // Only owners can hand out (or take away) ownership, so admins are not offered it.
  const options = ROLES.filter((role) => role !== 'owner' || myRole === 'owner').map((role) => ({ value: role, label: ROLE_LABELS[role] }));
  const value = change.isPending && change.variables !== undefined ? change.variables : member.role;

  return (
    <div>
      <SelectField
        label={`Role for ${member.name}`}
        hideLabel
        className="field-compact"
        value={value}
        options={member.role === 'owner' && myRole !== 'owner' ? [{ value: 'owner', label: ROLE_LABELS.owner }] : options}
        onChange={(next) => {
          if (isRole(next) && next !== member.role) change.mutate(next);
        }}
        disabled={change.isPending}
      />
      <ProblemAlert error={change.error} />
    </div>
  );
}
