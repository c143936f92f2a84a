import { type CredentialChecks, createCredentialChecks } from '../../apps/server/src/modules/accounts/credentials.js';

export interface Evaluation {
  readonly kind: 'password' | 'totp';
  /** The password or code that was checked. */
  readonly value: string;
}

/**
 * The real credential checks, recording every evaluation — the proof that the throttle let an
 * attempt through — and optionally holding them, so a test can send the rest of a parallel burst
 * while the admitted attempts are still being evaluated.
 */
export class CredentialProbe implements CredentialChecks {
  readonly evaluations: Evaluation[] = [];
  #gate: Promise<void> = Promise.resolve();
  #open: () => void = () => undefined;

  constructor(private readonly real: CredentialChecks = createCredentialChecks()) {}

  /** Hold every evaluation from now on until {@link release}. */
  hold(): void {
    this.#gate = new Promise((resolve) => {
      this.#open = resolve;
    });
  }

  release(): void {
    this.#open();
    this.#gate = Promise.resolve();
  }

  /** Forget what was recorded (between scenarios). */
  clear(): void {
    this.evaluations.length = 0;
  }

  count(kind: Evaluation['kind']): number {
    return this.evaluations.filter((e) => e.kind === kind).length;
  }

  async verifyPassword(phc: string, password: string): Promise<boolean> {
    this.evaluations.push({ kind: 'password', value: password });
    await this.#gate;
    return this.real.verifyPassword(phc, password);
  }

  async burnVerification(password: string): Promise<void> {
    this.evaluations.push({ kind: 'password', value: password });
    await this.#gate;
    await this.real.burnVerification(password);
  }

  async checkTotp(secretBase32: string, code: string, now: Date): Promise<number | null> {
    this.evaluations.push({ kind: 'totp', value: code });
    await this.#gate;
    return this.real.checkTotp(secretBase32, code, now);
  }
}
