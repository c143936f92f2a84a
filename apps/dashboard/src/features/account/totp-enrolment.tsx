import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { fieldError } from '../../app/api-error';
import { CopyButton } from '../../ui/copy-button';
import { ProblemAlert } from '../../ui/problem-alert';
import { TextField } from '../../ui/text-field';
import { useReauth } from '../auth/reauth/reauth-context';
import { SESSION_KEY } from '../auth/session-query';
import { type TotpSetup, totpApi } from './totp-api';

/** Two steps: get a secret for the authenticator app, then prove it works with a current code. */
export function TotpEnrolment() {
  const client = useQueryClient();
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [code, setCode] = useState('');
  const withReauth = useReauth();
  // Both steps need a recent identity check, so a forgotten session cannot enrol its own device.
  const begin = useMutation({ mutationFn: () => withReauth(totpApi.setup), onSuccess: setSetup });
  const enable = useMutation({
    mutationFn: () => withReauth(() => totpApi.enable(code.trim())),
    onSuccess: async () => {
      setSetup(null);
      await client.invalidateQueries({ queryKey: SESSION_KEY });
    },
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    enable.mutate();
  }

  if (setup === null) {
    return (
      <div className="stack">
        <ProblemAlert error={begin.error} />
        <div>
          <button type="button" className="btn btn-primary" onClick={() => begin.mutate()} disabled={begin.isPending}>
            {begin.isPending ? 'Starting…' : 'Set up two-factor authentication'}
          </button>
        </div>
      </div>
    );
  }

  return (
    <div className="stack">
      <ol className="steps">
        <li>
          <p>Add this account to your authenticator app (1Password, Google Authenticator, Authy…) by entering the secret key:</p>
          <div className="secret-row">
            <code className="secret-value" data-testid="totp-secret">
              {setup.secret}
            </code>
            <CopyButton text={setup.secret} label="Copy secret" />
          </div>
          <p className="muted">Or paste this otpauth URI into an app that accepts one:</p>
          <div className="secret-row">
            <code className="secret-value small" data-testid="totp-uri">
              {setup.otpauthUri}
            </code>
            <CopyButton text={setup.otpauthUri} label="Copy URI" />
          </div>
        </li>
        <li>
          <form onSubmit={submit} className="inline-form">
            <TextField
              label="6-digit code"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6}"
              maxLength={6}
              hint="Enter the code your app shows now to finish. Turning two-factor on signs you out everywhere else."
              value={code}
              onChange={setCode}
              error={fieldError(enable.error, 'code')}
              required
            />
            <div className="inline-form-actions">
              <button type="submit" className="btn btn-primary" disabled={enable.isPending}>
                {enable.isPending ? 'Verifying…' : 'Turn on two-factor'}
              </button>
              <button type="button" className="btn" onClick={() => setSetup(null)}>
                Cancel
              </button>
            </div>
          </form>
          <ProblemAlert error={enable.error} fields={['code']} />
        </li>
      </ol>
    </div>
  );
}
