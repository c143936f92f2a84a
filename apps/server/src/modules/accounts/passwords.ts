import { hash, verify } from '@node-rs/argon2';

/** `Algorithm.Argon2id`; the enum is an ambient const enum, which isolated modules cannot read. */
const ARGON2ID = 2;

/**
 * argon2id with OWASP's recommended minimum (19 MiB, t=2, p=1). The parameters travel inside
 * the PHC string, so raising them later only affects new hashes.
 */
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  try {
    return await verify(phc, password);
  } catch (error: unknown) {
    // A malformed stored hash is a data problem, not a wrong password; let it surface.
    if (error instanceof Error && /password/i.test(error.message)) return false;
    throw error;
  }
}
