import { fieldError } from '../../app/api-error';
import { TextAreaField } from '../../ui/text-area-field';

/** The server's limits for an uploaded key (PEM or raw base64). */
const MIN_LENGTH = 40;
const MAX_LENGTH = 1000;

const PLACEHOLDER = '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA…\n-----END PUBLIC KEY-----';

/** Where a BP pastes its own Ed25519 public key, so the private key never leaves its servers. */
export function PublicKeyField({ value, onChange, error }: { readonly value: string; readonly onChange: (value: string) => void; readonly error: unknown }) {
  return (
    <div className="stack-tight">
      <TextAreaField
        label="Public key"
        hint="Ed25519, as SPKI PEM or the raw 32-byte key in base64."
        placeholder={PLACEHOLDER}
        value={value}
        onChange={onChange}
        error={fieldError(error, 'publicKey')}
        rows={4}
        minLength={MIN_LENGTH}
        maxLength={MAX_LENGTH}
        className="field-code"
        required
      />
      <p className="field-hint command-hint">
        Create a key pair with OpenSSL: <code>openssl genpkey -algorithm ed25519 -out paygate-private.pem</code>, then paste the output of{' '}
        <code>openssl pkey -in paygate-private.pem -pubout</code>
      </p>
    </div>
  );
}
