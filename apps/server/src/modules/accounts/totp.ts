import { Secret, TOTP } from 'otpauth';

const PERIOD_SECONDS = 30;

function totpFor(secretBase32: string, label: string): TOTP {
  return new TOTP({ issuer: 'Paygate', label, algorithm: 'SHA1', digits: 6, period: PERIOD_SECONDS, secret: Secret.fromBase32(secretBase32) });
}

export function generateTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpUri(secretBase32: string, accountLabel: string): string {
  return totpFor(secretBase32, accountLabel).toString();
}

/**
 * Check a 6-digit code allowing one step of clock drift either way.
 *
 * @returns the accepted time step, or null. Callers store the step and refuse a code whose step
 * is not newer than the last accepted one, so an observed code cannot be replayed.
 */
export function checkTotp(secretBase32: string, code: string, now: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpFor(secretBase32, 'check').validate({ token: code, timestamp: now.getTime(), window: 1 });
  if (delta === null) return null;
  return Math.floor(now.getTime() / 1000 / PERIOD_SECONDS) + delta;
}

/** The code for a moment in time; used by tests and the demo seed, never sent anywhere. */
export function totpCodeAt(secretBase32: string, at: Date): string {
  return totpFor(secretBase32, 'generate').generate({ timestamp: at.getTime() });
}
