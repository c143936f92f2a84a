import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/** A sealed value could not be opened: wrong master key, or the stored value was altered. */
export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError';
}

/**
 * Encrypts secrets at rest (TOTP seeds now; API secrets later) with AES-256-GCM under the
 * master key. The output is `v1.<iv>.<ciphertext>.<tag>` in base64url; `context` is bound as
 * additional authenticated data so a sealed value cannot be moved to another row or purpose.
 */
export class SecretBox {
  readonly #key: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new SecretBoxError('The master key must be 32 bytes');
    this.#key = masterKey;
  }

  /** Short public fingerprint of the key, safe to log, to tell keys apart. */
  get keyFingerprint(): string {
    return createHash('sha256').update(this.#key).digest('hex').slice(0, 12);
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv, ciphertext, cipher.getAuthTag()].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  open(sealed: string, context: string): string {
    const [version, iv, ciphertext, tag] = sealed.split('.');
    if (version !== VERSION || iv === undefined || ciphertext === undefined || tag === undefined) {
      throw new SecretBoxError('Unrecognised sealed value');
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch (error: unknown) {
      throw new SecretBoxError(
        `Cannot open sealed value (${error instanceof Error ? error.message : 'unknown error'}); is PAYGATE_MASTER_KEY the one it was sealed with?`,
      );
    }
  }
}
