import { createCipheriv, createDecipheriv, pbkdf2Sync, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { scrypt } from '@noble/hashes/scrypt.js';
import { type Hex, keccak256 } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { z } from 'zod';

/**
 * Web3 Secret Storage (keystore v3) files: the hot wallet's private key at rest, encrypted with
 * a passphrase (scrypt or PBKDF2-HMAC-SHA256 → AES-128-CTR, keccak-256 MAC), the format geth,
 * Foundry's `cast wallet` and most wallets read and write. The key is only ever held in memory.
 */
const hex = z.string().regex(/^(0x)?[0-9a-fA-F]*$/);
const keystoreSchema = z.object({
  version: z.literal(3),
  address: z.string().optional(),
  crypto: z.object({
    cipher: z.literal('aes-128-ctr'),
    cipherparams: z.object({ iv: hex }),
    ciphertext: hex,
    kdf: z.enum(['scrypt', 'pbkdf2']),
    kdfparams: z.union([
      z.object({ n: z.number().int().min(2), r: z.number().int().min(1), p: z.number().int().min(1), dklen: z.number().int().min(32), salt: hex }),
      z.object({ c: z.number().int().min(1), prf: z.literal('hmac-sha256'), dklen: z.number().int().min(32), salt: hex }),
    ]),
    mac: hex,
  }),
});

/** The file is not a keystore, or the passphrase is wrong. The message never contains key material. */
export class KeystoreError extends Error {
  override readonly name = 'KeystoreError';
}

const bytes = (value: string) => Buffer.from(value.replace(/^0x/, ''), 'hex');

function deriveKey(kdf: 'scrypt' | 'pbkdf2', params: Record<string, unknown>, passphrase: string): Buffer {
  const salt = bytes(String(params.salt));
  const dklen = Number(params.dklen);
  if (kdf === 'scrypt') {
    const n = Number(params.n);
    const r = Number(params.r);
    const p = Number(params.p);
    // @noble's scrypt, not node's: OpenSSL refuses N ≥ 2^(16·r), which the specification's own
    // test vector (N = 2^18, r = 1) and files from other wallets use. It needs 128·N·r bytes.
    return Buffer.from(scrypt(passphrase.normalize('NFKC'), salt, { N: n, r, p, dkLen: dklen, maxmem: 256 * n * r + 1024 * 1024 }));
  }
  return pbkdf2Sync(passphrase.normalize('NFKC'), salt, Number(params.c), dklen, 'sha256');
}

function mac(derived: Buffer, ciphertext: Buffer): Buffer {
  return bytes(keccak256(Buffer.concat([derived.subarray(16, 32), ciphertext])));
}

/**
 * Decrypt a keystore v3 JSON text with its passphrase; returns the private key.
 *
 * @throws KeystoreError on a malformed file or a wrong passphrase (MAC mismatch).
 */
export function decryptKeystore(json: string, passphrase: string): Hex {
  let parsed: z.infer<typeof keystoreSchema>;
  try {
    parsed = keystoreSchema.parse(JSON.parse(json));
  } catch (_error: unknown) {
    throw new KeystoreError('The hot wallet file is not a Web3 Secret Storage (keystore v3) file with aes-128-ctr and scrypt or pbkdf2.');
  }
  const { crypto } = parsed;
  const derived = deriveKey(crypto.kdf, crypto.kdfparams, passphrase);
  const ciphertext = bytes(crypto.ciphertext);
  const expected = bytes(crypto.mac);
  const actual = mac(derived, ciphertext);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    throw new KeystoreError('The hot wallet passphrase does not open this keystore file (MAC mismatch).');
  }
  const decipher = createDecipheriv('aes-128-ctr', derived.subarray(0, 16), bytes(crypto.cipherparams.iv));
  const key = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  if (key.length !== 32) throw new KeystoreError('The keystore does not hold a 32-byte secp256k1 private key.');
  return `0x${key.toString('hex')}`;
}

/** scrypt cost of new files: geth's "standard" parameters (N = 2^18, r = 8, p = 1). */
export const STANDARD_SCRYPT = { n: 262_144, r: 8, p: 1 } as const;

/** Encrypt a private key into a keystore v3 JSON text (scrypt). */
export function encryptKeystore(privateKey: Hex, passphrase: string, cost: { n: number; r: number; p: number } = STANDARD_SCRYPT): string {
  const salt = randomBytes(32);
  const iv = randomBytes(16);
  const params = { dklen: 32, n: cost.n, r: cost.r, p: cost.p, salt: salt.toString('hex') };
  const derived = deriveKey('scrypt', params, passphrase);
  const cipher = createCipheriv('aes-128-ctr', derived.subarray(0, 16), iv);
  const ciphertext = Buffer.concat([cipher.update(bytes(privateKey)), cipher.final()]);
  return JSON.stringify({
    version: 3,
    id: randomUUID(),
    address: privateKeyToAccount(privateKey).address.slice(2).toLowerCase(),
    crypto: {
      cipher: 'aes-128-ctr',
      cipherparams: { iv: iv.toString('hex') },
      ciphertext: ciphertext.toString('hex'),
      kdf: 'scrypt',
      kdfparams: params,
      mac: mac(derived, ciphertext).toString('hex'),
    },
  });
}
