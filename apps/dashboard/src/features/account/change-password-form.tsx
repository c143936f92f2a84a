import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { fieldError } from '../../app/api-error';
import { ProblemAlert } from '../../ui/problem-alert';
import { TextField } from '../../ui/text-field';
import { PASSWORD_MIN_LENGTH } from '../auth/auth-api';
import { useReauth } from '../auth/reauth/reauth-context';
import { passwordApi } from './password-api';

export function ChangePasswordForm() {
  const withReauth = useReauth();
  const [newPassword, setNewPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const [changed, setChanged] = useState(false);
  const change = useMutation({
    mutationFn: () => withReauth(() => passwordApi.change(newPassword)),
    onSuccess: () => {
      setNewPassword('');
      setRepeated('');
      setChanged(true);
    },
  });
  const mismatch = repeated !== '' && repeated !== newPassword ? 'The two passwords differ.' : undefined;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (newPassword !== repeated) return;
    setChanged(false);
    change.mutate();
  }

  return (
    <form onSubmit={submit} className="stack">
      <p className="muted">Changing your password signs you out everywhere else; this browser stays logged in.</p>
      <TextField
        label="New password"
        type="password"
        autoComplete="new-password"
        minLength={PASSWORD_MIN_LENGTH}
        hint={`At least ${PASSWORD_MIN_LENGTH} characters.`}
        value={newPassword}
        onChange={setNewPassword}
        error={fieldError(change.error, 'newPassword')}
        required
      />
      <TextField label="Repeat new password" type="password" autoComplete="new-password" value={repeated} onChange={setRepeated} error={mismatch} required />
      <ProblemAlert error={change.error} fields={['newPassword']} />
      {changed && (
        <p className="muted" role="status">
          Password changed. Your other sessions were signed out.
        </p>
      )}
      <div>
        <button type="submit" className="btn btn-primary" disabled={change.isPending || mismatch !== undefined}>
          {change.isPending ? 'Changing…' : 'Change password'}
        </button>
      </div>
    </form>
  );
}
