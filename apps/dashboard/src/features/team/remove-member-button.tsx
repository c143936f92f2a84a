import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useLocation } from 'wouter';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { useReauth } from '../auth/reauth/reauth-context';
import { SESSION_KEY } from '../auth/session-query';
import { type Member, teamApi, teamKeys } from './team-api';

interface RemoveMemberButtonProps {
  readonly bpId: string;
  readonly bpName: string;
  readonly member: Member;
  readonly isSelf: boolean;
}

export function RemoveMemberButton({ bpId, bpName, member, isSelf }: RemoveMemberButtonProps) {
  const client = useQueryClient();
  const [, navigate] = useLocation();
  const withReauth = useReauth();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: () => withReauth(() => teamApi.removeMember(bpId, member.userId)),
    onSuccess: async () => {
      setConfirming(false);
      if (isSelf) {
        // Leaving changes the memberships (and maybe the active BP) in the session.
        await client.invalidateQueries({ queryKey: SESSION_KEY });
        navigate('/developers/overview');
      } else {
        await client.invalidateQueries({ queryKey: teamKeys.members(bpId) });
      }
    },
  });

  const action = isSelf ? 'Leave team' : 'Remove';
  return (
    <>
      <button
        type="button"
        className="btn btn-small btn-danger-quiet"
        aria-label={isSelf ? 'Leave team' : `Remove ${member.name}`}
        onClick={() => setConfirming(true)}
      >
        {action}
      </button>
      {confirming && (
        <ConfirmDialog
          title={isSelf ? `Leave ${bpName}?` : `Remove ${member.name}?`}
          description={
            isSelf
              ? `You will lose access to ${bpName} until someone invites you again.`
              : `${member.name} (${member.email}) will lose access to ${bpName} immediately.`
          }
          confirmLabel={isSelf ? 'Leave team' : 'Remove member'}
          pending={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate()}
          onCancel={() => {
            setConfirming(false);
            remove.reset();
          }}
        />
      )}
    </>
  );
}
