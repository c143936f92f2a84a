import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ProblemAlert } from '../../ui/problem-alert';
import { useReauth } from '../auth/reauth/reauth-context';
import { SESSION_KEY } from '../auth/session-query';
import { totpApi } from './totp-api';

export function TotpDisable() {
  const client = useQueryClient();
  const withReauth = useReauth();
  const disable = useMutation({
    mutationFn: () => withReauth(totpApi.disable),
    onSuccess: () => client.invalidateQueries({ queryKey: SESSION_KEY }),
  });
  return (
    <div className="stack">
      <p>Your account asks for a code from your authenticator app at log-in.</p>
      <ProblemAlert error={disable.error} />
      <div>
        <button type="button" className="btn btn-danger-quiet" onClick={() => disable.mutate()} disabled={disable.isPending}>
          {disable.isPending ? 'Turning off…' : 'Turn off two-factor'}
        </button>
      </div>
    </div>
  );
}
