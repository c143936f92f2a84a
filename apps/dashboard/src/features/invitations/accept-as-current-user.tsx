import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ProblemAlert } from '../../ui/problem-alert';
import { authApi } from '../auth/auth-api';
import { forgetSession } from '../auth/session-query';
import type { Session } from '../auth/session-types';
import { invitationApi } from './invitation-api';

interface AcceptAsCurrentUserProps {
  readonly token: string;
  readonly session: Session;
  readonly invitedEmail: string;
  readonly onJoined: (session: Session) => void;
}

/** Already logged in: accept with one click, or log out to use the invited address instead. */
export function AcceptAsCurrentUser({ token, session, invitedEmail, onJoined }: AcceptAsCurrentUserProps) {
  const client = useQueryClient();
  const accept = useMutation({ mutationFn: () => invitationApi.accept(token), onSuccess: onJoined });
  const logOut = useMutation({ mutationFn: authApi.logOut, onSettled: () => forgetSession(client) });
  const sameAddress = session.user.email.toLowerCase() === invitedEmail.toLowerCase();

  return (
    <div className="stack">
      <p>
        You are logged in as <strong>{session.user.email}</strong>.
      </p>
      {!sameAddress && (
        <div className="alert alert-warning">
          <p>This invitation was sent to {invitedEmail}. Log out and sign up or log in with that address to accept it.</p>
        </div>
      )}
      <ProblemAlert error={accept.error} />
      <button type="button" className="btn btn-primary btn-block" onClick={() => accept.mutate()} disabled={accept.isPending || !sameAddress}>
        {accept.isPending ? 'Accepting…' : 'Accept invitation'}
      </button>
      <button type="button" className="btn btn-block" onClick={() => logOut.mutate()} disabled={logOut.isPending}>
        Log out
      </button>
    </div>
  );
}
