import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { fieldError } from '../../app/api-error';
import { ProblemAlert } from '../../ui/problem-alert';
import { TextField } from '../../ui/text-field';
import { authApi, PASSWORD_MIN_LENGTH } from '../auth/auth-api';
import type { Session } from '../auth/session-types';

interface InvitationSignupFormProps {
  readonly token: string;
  readonly email: string;
  readonly onJoined: (session: Session) => void;
}

/** Sign-up that joins the inviting BP instead of creating one, so there is no business name. */
export function InvitationSignupForm({ token, email, onJoined }: InvitationSignupFormProps) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const signUp = useMutation({
    mutationFn: () => authApi.signUp({ email, name: name.trim(), password, invitationToken: token }),
    onSuccess: onJoined,
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    signUp.mutate();
  }

  return (
    <form onSubmit={submit} className="stack">
      <ProblemAlert error={signUp.error} fields={['name', 'password']} />
      {/* The invitation is bound to this address; the server rejects any other. */}
      <TextField label="Email" type="email" value={email} onChange={() => undefined} readOnly hint="Invitations are tied to the address they were sent to." />
      <TextField label="Your name" autoComplete="name" value={name} onChange={setName} error={fieldError(signUp.error, 'name')} required />
      <TextField
        label="Password"
        type="password"
        autoComplete="new-password"
        minLength={PASSWORD_MIN_LENGTH}
        hint={`At least ${PASSWORD_MIN_LENGTH} characters.`}
        value={password}
        onChange={setPassword}
        error={fieldError(signUp.error, 'password')}
        required
      />
      <button type="submit" className="btn btn-primary btn-block" disabled={signUp.isPending}>
        {signUp.isPending ? 'Creating account…' : 'Sign up to join'}
      </button>
    </form>
  );
}
