import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { fieldError, isApiError } from '../../app/api-error';
import { ProblemAlert } from '../../ui/problem-alert';
import { TextField } from '../../ui/text-field';
import { authApi, type LogInInput } from './auth-api';
import type { Session } from './session-types';

interface LoginFormProps {
  readonly initialEmail?: string;
  readonly submitLabel: string;
  /** Receives the new session; may do more (e.g. accept an invitation) before the form settles. */
  readonly onLoggedIn: (session: Session) => Promise<void> | void;
}

/** E-mail and password; asks for the two-factor code only when the server says it is needed. */
export function LoginForm({ initialEmail = '', submitLabel, onLoggedIn }: LoginFormProps) {
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState('');
  const [totpCode, setTotpCode] = useState('');
  const [needsCode, setNeedsCode] = useState(false);

  const logIn = useMutation({
    mutationFn: async (input: LogInInput) => {
      const session = await authApi.logIn(input);
      await onLoggedIn(session);
    },
    onError: (error: unknown) => {
      if (isApiError(error, 'totp_required')) setNeedsCode(true);
    },
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    logIn.mutate({ email: email.trim(), password, ...(needsCode ? { totpCode: totpCode.trim() } : {}) });
  }

  // The code prompt is a step, not a failure: explain it instead of showing an error banner.
  const error = isApiError(logIn.error, 'totp_required') ? null : logIn.error;

  return (
    <form onSubmit={submit} className="stack">
      <ProblemAlert error={error} fields={['email', 'password', 'totpCode']} />
      <TextField label="Email" type="email" autoComplete="email" value={email} onChange={setEmail} error={fieldError(logIn.error, 'email')} required />
      <TextField
        label="Password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={setPassword}
        error={fieldError(logIn.error, 'password')}
        required
      />
      {needsCode && (
        <TextField
          label="Authentication code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]{6}"
          maxLength={6}
          hint="Two-factor authentication is on for this account. Enter the 6-digit code from your authenticator app."
          value={totpCode}
          onChange={setTotpCode}
          error={fieldError(logIn.error, 'totpCode')}
          required
          autoFocus
        />
      )}
      <button type="submit" className="btn btn-primary btn-block" disabled={logIn.isPending}>
        {logIn.isPending ? 'Logging in…' : submitLabel}
      </button>
    </form>
  );
}
