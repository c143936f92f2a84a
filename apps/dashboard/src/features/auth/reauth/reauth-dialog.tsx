import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { fieldError } from '../../../app/api-error';
import { Dialog } from '../../../ui/dialog';
import { ProblemAlert } from '../../../ui/problem-alert';
import { TextField } from '../../../ui/text-field';
import { authApi, type ReauthProof } from '../auth-api';
import { SESSION_KEY, useSession } from '../session-query';

interface ReauthDialogProps {
  readonly onConfirmed: () => void;
  readonly onCancel: () => void;
}

export function ReauthDialog({ onConfirmed, onCancel }: ReauthDialogProps) {
  const client = useQueryClient();
  const totpEnabled = useSession().data?.user.totpEnabled ?? false;
  const [method, setMethod] = useState<'password' | 'totp'>('password');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');

  const reauth = useMutation({
    mutationFn: (proof: ReauthProof) => authApi.reauth(proof),
    onSuccess: () => {
      // reauthUntil lives in the session document; refresh it in the background.
      void client.invalidateQueries({ queryKey: SESSION_KEY });
      onConfirmed();
    },
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    reauth.mutate(method === 'password' ? { password } : { totpCode: code.trim() });
  }

  return (
    <Dialog
      title="Confirm it's you"
      description="This is a sensitive action. Confirm your identity to continue; you will not be asked again for a few minutes."
      onClose={onCancel}
    >
      <form onSubmit={submit} className="stack">
        <ProblemAlert error={reauth.error} fields={[method === 'password' ? 'password' : 'totpCode']} />
        {method === 'password' ? (
          <TextField
            label="Password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={setPassword}
            error={fieldError(reauth.error, 'password')}
            required
            autoFocus
          />
        ) : (
          <TextField
            label="Authentication code"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]{6}"
            maxLength={6}
            hint="The 6-digit code from your authenticator app."
            value={code}
            onChange={setCode}
            error={fieldError(reauth.error, 'totpCode')}
            required
            autoFocus
          />
        )}
        {totpEnabled && (
          <button type="button" className="btn-link" onClick={() => setMethod(method === 'password' ? 'totp' : 'password')}>
            {method === 'password' ? 'Use an authentication code instead' : 'Use your password instead'}
          </button>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={reauth.isPending}>
            {reauth.isPending ? 'Confirming…' : 'Confirm'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
