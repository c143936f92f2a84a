import { useQueryClient } from '@tanstack/react-query';
import { Link, useLocation, useSearch } from 'wouter';
import { AuthCard } from './auth-card';
import { safeNextPath } from './current-session';
import { LoginForm } from './login-form';
import { storeSession } from './session-query';

export function LoginPage() {
  const client = useQueryClient();
  const [, navigate] = useLocation();
  const next = safeNextPath(new URLSearchParams(useSearch()).get('next'));

  return (
    <AuthCard
      title="Log in to Paygate"
      subtitle="Manage your integration, keys and team."
      footer={
        <>
          New to Paygate? <Link to="/signup">Create an account</Link>
        </>
      }
    >
      <LoginForm
        submitLabel="Log in"
        onLoggedIn={(session) => {
          storeSession(client, session);
          navigate(next ?? '/developers/overview', { replace: true });
        }}
      />
    </AuthCard>
  );
}
