import { useMutation, useQueryClient } from '@tanstack/react-query';
import { formatDate } from '../../ui/format';
import { ProblemAlert } from '../../ui/problem-alert';
import { useActiveBp } from '../auth/current-session';
import { ROLE_LABELS, roleAtLeast } from '../auth/roles';
import { teamApi, teamKeys, useInvitations } from './team-api';

export function InvitationsTable() {
  const bp = useActiveBp();
  const client = useQueryClient();
  const invitations = useInvitations(bp.bpId);
  const canManage = roleAtLeast(bp.role, 'admin');
  const revoke = useMutation({
    mutationFn: (invitationId: string) => teamApi.revokeInvitation(bp.bpId, invitationId),
    onSettled: () => client.invalidateQueries({ queryKey: teamKeys.invitations(bp.bpId) }),
  });

  return (
    <section className="panel panel-flush" aria-labelledby="invitations-title">
      <div className="panel-header">
        <h2 id="invitations-title">Pending invitations</h2>
      </div>
      <ProblemAlert error={invitations.error ?? revoke.error} />
      {invitations.isPending && <p className="muted panel-body">Loading invitations…</p>}
      {invitations.data?.length === 0 && <p className="muted panel-body">No pending invitations.</p>}
      {invitations.data !== undefined && invitations.data.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Invited by</th>
              <th scope="col">Expires</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {invitations.data.map((invitation) => (
              <tr key={invitation.id}>
                <td>
                  <div className="cell-primary">{invitation.email}</div>
                </td>
                <td>{ROLE_LABELS[invitation.role]}</td>
                <td>{invitation.invitedBy ?? '—'}</td>
                <td>{formatDate(invitation.expiresAt)}</td>
                <td className="cell-actions">
                  {canManage && (
                    <button
                      type="button"
                      className="btn btn-small btn-danger-quiet"
                      aria-label={`Revoke invitation for ${invitation.email}`}
                      onClick={() => revoke.mutate(invitation.id)}
                      disabled={revoke.isPending && revoke.variables === invitation.id}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
