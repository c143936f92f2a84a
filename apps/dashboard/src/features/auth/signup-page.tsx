import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { fieldError } from '../../app/api-error';
import { ProblemAlert } from '../../ui/problem-alert';
import { TextField } from '../../ui/text-field';
import { authApi, PASSWORD_MIN_LENGTH, type SignUpInput } from './auth-api';
import { AuthCard } from './auth-card';
import { storeSession } from './session-query';

export function SignupPage() {
  const client = useQueryClient();
  const [, navigate] = useLocation();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [businessName, setBusinessName] = useState('');

  const signUp = useMutation({
    mutationFn: (input: SignUpInput) => authApi.signUp(input),
    onSuccess: (session) => {
      storeSession(client, session);
      // A new owner's first job is the KeyPair their backend signs with; start them there.
      navigate('/developers/keypair', { replace: true });
    },
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    signUp.mutate({ name: name.trim(), email: email.trim(), password, businessName: businessName.trim() });
  }

  return (
    <AuthCard
      title="Create your Paygate account"
      subtitle="You will be the owner of a new Business Partner and can invite your team afterwards."
      footer={
        <>
          Already have an account? <Link to="/login">Log in</Link>
        </>
      }
    >
      <form onSubmit={submit} className="stack">
        <ProblemAlert error={signUp.error} fields={['name', 'email', 'password', 'businessName']} />
        <TextField label="Your name" autoComplete="name" value={name} onChange={setName} error={fieldError(signUp.error, 'name')} required />
        <TextField label="Email" type="email" autoComplete="email" value={email} onChange={setEmail} error={fieldError(signUp.error, 'email')} required />
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
        <TextField
          label="Business name"
          autoComplete="organization"
          hint="The Business Partner your integration belongs to. You can rename it later."
          value={businessName}
          onChange={setBusinessName}
          error={fieldError(signUp.error, 'businessName')}
          required
        />
        <button type="submit" className="btn btn-primary btn-block" disabled={signUp.isPending}>
          {signUp.isPending ? 'Creating account…' : 'Create account'}
        </button>
      </form>
    </AuthCard>
  );
}
