import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useLocation } from 'wouter';
import { authApi } from '../../features/auth/auth-api';
import { forgetSession } from '../../features/auth/session-query';

export function LogOutButton() {
  const client = useQueryClient();
  const [, navigate] = useLocation();
  const logOut = useMutation({
    mutationFn: authApi.logOut,
    // Even if the server call fails (e.g. the session already expired) the user wants out.
    onSettled: () => {
      navigate('/login', { replace: true });
      forgetSession(client);
    },
  });
  return (
    <button type="button" className="btn btn-small" data-leaves-page onClick={() => logOut.mutate()} disabled={logOut.isPending}>
      Log out
    </button>
  );
}
