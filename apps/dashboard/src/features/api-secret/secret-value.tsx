import { useState } from 'react';
import { CopyButton } from '../../ui/copy-button';
import { SECRET_PREFIX } from './secret-prefix';

/** Bullets of a fixed length: the mask must not give away anything about the value. */
const MASK = '•'.repeat(32);

function masked(secret: string): string {
  // The prefix is the same for every secret and tells people what kind of value this is.
  return secret.startsWith(SECRET_PREFIX) ? `${SECRET_PREFIX}${MASK}` : MASK;
}

/**
 * A secret with Show/Mask and Copy. Masked until the user asks, so the value does not end up on
 * a shared screen by accident; copying works without showing it.
 */
export function SecretValue({ secret }: { readonly secret: string }) {
  const [visible, setVisible] = useState(false);
  return (
    <div className="secret-row">
      <code className={visible ? 'secret-value' : 'secret-value secret-masked'} data-testid="secret-value">
        {visible ? secret : masked(secret)}
      </code>
      <button type="button" className="btn btn-small" onClick={() => setVisible(!visible)}>
        {visible ? 'Mask' : 'Show'}
      </button>
      <CopyButton text={secret} />
    </div>
  );
}
