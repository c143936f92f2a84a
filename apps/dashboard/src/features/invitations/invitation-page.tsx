import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { isApiError } from '../../app/api-error';
import { formatDate } from '../../ui/format';
import { FullPageLoading } from '../../ui/full-page-status';
import { ProblemAlert } from '../../ui/problem-alert';
import { AuthCard } from '../auth/auth-card';
import { LoginForm } from '../auth/login-form';
import { storeSession, useSession } from '../auth/session-query';
import type { Session } from '../auth/session-types';
import { AcceptAsCurrentUser } from './accept-as-current-user';
import { invitationApi, invitationKey } from './invitation-api';
import { InvitationSignupForm } from './invitation-signup-form';

/** /invite/:token — what the link is for, then join by signing up, logging in, or one click. */
export function InvitationPage({ token }: { readonly token: string }) {
  const client = useQueryClient();
  const [, navigate] = useLocation();
  const session = useSession();
  const preview = useQuery({ queryKey: invitationKey(token), queryFn: () => invitationApi.preview(token), retry: false });
  const [mode, setMode] = useState<'signup' | 'login'>('signup');

  if (preview.isPending || session.isPending) return <FullPageLoading />;

  if (preview.isError) {
    const gone = isApiError(preview.error, 'invitation_invalid') || isApiError(preview.error, 'not_found');
    return (
      <AuthCard title={gone ? 'This invitation cannot be used' : 'Could not open the invitation'} footer={<Link to="/login">Go to log in</Link>}>
        {gone ? (
          <p>The link has expired, was revoked, or was already used. Ask the person who invited you for a new one.</p>
        ) : (
          <ProblemAlert error={preview.error} />
        )}
      </AuthCard>
    );
  }

  const invitation = preview.data;
  const joined = (next: Session) => {
    storeSession(client, next);
    // Everything cached belonged to the previous BP context.
    void client.invalidateQueries();
    navigate('/developers/overview', { replace: true });
  };

  const subtitle = (
    <>
      {invitation.invitedBy ?? 'A team member'} invited <strong>{invitation.email}</strong> to join <strong>{invitation.bpName}</strong> as{' '}
      <strong>{invitation.role}</strong>. The invitation expires on {formatDate(invitation.expiresAt)}.
    </>
  );

  if (session.data) {
    return (
      <AuthCard title={`Join ${invitation.bpName}`} subtitle={subtitle}>
        <AcceptAsCurrentUser token={token} session={session.data} invitedEmail={invitation.email} onJoined={joined} />
      </AuthCard>
    );
  }

  return (
    <AuthCard
      title={`Join ${invitation.bpName}`}
      subtitle={subtitle}
      footer={
        mode === 'signup' ? (
          <>
            Already have a Paygate account?{' '}
            <button type="button" className="btn-link" onClick={() => setMode('login')}>
              Log in and accept
            </button>
          </>
        ) : (
          <>
            New to Paygate?{' '}
            <button type="button" className="btn-link" onClick={() => setMode('signup')}>
              Sign up to join
            </button>
          </>
        )
      }
    >
      {mode === 'signup' ? (
        <InvitationSignupForm token={token} email={invitation.email} onJoined={joined} />
      ) : (
        <LoginForm
          initialEmail={invitation.email}
          submitLabel="Log in and accept"
          onLoggedIn={async (loggedIn) => {
            storeSession(client, loggedIn);
            joined(await invitationApi.accept(token));
          }}
        />
      )}
    </AuthCard>
  );
}
