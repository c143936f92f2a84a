import { createHash, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { AppError } from '../../lib/errors.js';

/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export interface PublicKeyInfo {
  readonly pem: string;
  readonly fingerprint: string;
  readonly keyObject: KeyObject;
}

function describe(key: KeyObject): PublicKeyInfo {
  const der = key.export({ format: 'der', type: 'spki' });
  const raw = der.subarray(ED25519_SPKI_PREFIX.length);
  return {
    pem: key.export({ format: 'pem', type: 'spki' }).toString(),
    fingerprint: `SHA256:${createHash('sha256').update(raw).digest('base64').replace(/=+$/, '')}`,
    keyObject: key,
  };
}

/** A new Ed25519 key pair. The private key goes to the caller once and is never stored. */
export function generateKeyPair(): { publicKey: PublicKeyInfo; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { publicKey: describe(publicKey), privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() };
}

/**
 * Accept a BP's own public key: SPKI PEM (`-----BEGIN PUBLIC KEY-----`), or the raw 32-byte key in
 * base64/base64url (as many Ed25519 tools print it). Anything else, or another algorithm, is refused.
 */
export function parseUploadedPublicKey(input: string): PublicKeyInfo {
  const text = input.trim();
  let key: KeyObject;
  try {
    if (text.includes('-----BEGIN')) {
      if (text.includes('PRIVATE KEY')) {
        throw new AppError('public_key_invalid', 'That is a private key. Upload only the public key; keep the private key on your servers.');
      }
      key = createPublicKey(text);
    } else {
      const raw = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
      if (raw.length !== 32 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) throw new Error('not 32 bytes');
      key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
    }
  } catch (error: unknown) {
    if (error instanceof AppError) throw error;
    throw new AppError('public_key_invalid', 'Give an Ed25519 public key as SPKI PEM ("-----BEGIN PUBLIC KEY-----") or as the raw 32-byte key in base64.');
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new AppError('public_key_invalid', `The key is ${key.asymmetricKeyType ?? 'of an unknown type'}; Paygate request signing uses Ed25519.`);
  }
  return describe(key);
}

export function publicKeyFromPem(pem: string): KeyObject {
  return createPublicKey(pem);
}
