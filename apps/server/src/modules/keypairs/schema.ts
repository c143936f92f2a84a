import { z } from 'zod';

export const keyPairSchema = z
  .object({
    id: z.string().describe('Key id (kp_…): the `keyid` of request signatures'),
    algorithm: z.literal('ed25519'),
    fingerprint: z.string().describe('SHA256:<base64> of the raw public key, as OpenSSH prints it'),
    publicKey: z.string().describe('SPKI PEM'),
    source: z.enum(['generated', 'uploaded']),
    createdAt: z.iso.datetime(),
    createdBy: z.string(),
    revokedAt: z.iso.datetime().nullable(),
    revokedBy: z.string().nullable(),
  })
  .meta({ id: 'KeyPair' });

export const keyPairListSchema = z.object({ active: keyPairSchema.nullable(), revoked: z.array(keyPairSchema) });

export const issueKeyPairBody = z.union([
  z.strictObject({
    mode: z.literal('generate'),
    confirm: z.boolean().default(false).describe('Must be true when an active KeyPair exists: it is revoked at once'),
  }),
  z.strictObject({
    mode: z.literal('upload'),
    publicKey: z.string().min(40).max(1000).describe('Your Ed25519 public key: SPKI PEM, or the raw 32 bytes in base64'),
    confirm: z.boolean().default(false),
  }),
]);

export const issuedKeyPairSchema = z.object({
  keypair: keyPairSchema,
  privateKey: z.string().nullable().describe('PKCS#8 PEM; only for generated keys, shown this once'),
  keyFile: z.string().nullable().describe('The key file the SDK loads (JSON, includes the private key); only for generated keys'),
  replacedKeyId: z.string().nullable(),
});
