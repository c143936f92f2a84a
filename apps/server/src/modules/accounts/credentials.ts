import { hashPassword, verifyPassword } from './passwords.js';
import { checkTotp } from './totp.js';

/**
 * The checks that evaluate a proof of identity (a password, a two-factor code). Every check runs
 * only after the throttle admitted the attempt; they are injected so a test can count — and hold —
 * evaluations and so prove that parallel attempts beyond the limit are never evaluated.
 */
export interface CredentialChecks {
  verifyPassword(phc: string, password: string): Promise<boolean>;
  /**
   * Spend the time of a real verification when the account does not exist, so response time does
   * not reveal which e-mail addresses have accounts.
   */
  burnVerification(password: string): Promise<void>;
  /** The accepted TOTP time step, or null (see `checkTotp`). */
  checkTotp(secretBase32: string, code: string, now: Date): Promise<number | null>;
}

/** argon2id verification and RFC 6238 codes, as used in production. */
export function createCredentialChecks(): CredentialChecks {
  let dummyHash: Promise<string> | undefined;
  return {
    verifyPassword,
    burnVerification: async (password) => {
      dummyHash ??= hashPassword('paygate-timing-equaliser');
      await verifyPassword(await dummyHash, password);
    },
    checkTotp: async (secretBase32, code, now) => checkTotp(secretBase32, code, now),
  };
}
