import { AppError } from '../../lib/errors.js';

/** Largest amount accepted in one request, in whole currency units (guards against typos and overflow). */
export const MAX_WHOLE_UNITS = 1_000_000_000_000n;

const DECIMAL = /^(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

/**
 * Parse a decimal string ("12.5") into integer base units for a currency with `decimals` places.
 * Never goes through a binary float.
 *
 * @example parseAmount('12.5', 6) // 12500000n
 */
export function parseAmount(text: string, decimals: number, field = 'body.amount'): bigint {
  const match = DECIMAL.exec(text);
  if (match === null) {
    throw new AppError('amount_invalid', `Amount "${text}" is not a positive decimal string like "12.5" (no sign, exponent or separators).`, {
      errors: [{ field, message: 'Not a decimal string' }],
    });
  }
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  if (fraction.length > decimals) {
    throw new AppError('amount_too_precise', `Amount "${text}" has ${fraction.length} decimal places; this currency has ${decimals}.`, {
      errors: [{ field, message: `At most ${decimals} decimal places` }],
      decimals,
    });
  }
  if (BigInt(whole) > MAX_WHOLE_UNITS) {
    throw new AppError('amount_too_large', `Amount "${text}" exceeds the maximum of ${MAX_WHOLE_UNITS.toLocaleString('en-US')} per request.`, {
      errors: [{ field, message: 'Too large' }],
    });
  }
  const units = BigInt(whole + fraction.padEnd(decimals, '0'));
  if (units === 0n)
    throw new AppError('amount_invalid', 'The amount must be greater than zero.', { errors: [{ field, message: 'Must be greater than zero' }] });
  return units;
}

/** Format base units as a decimal string without trailing zeros. @example formatAmount(12500000n, 6) // '12.5' */
export function formatAmount(units: bigint, decimals: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction.length > 0 ? `.${fraction}` : ''}`;
}

/** Parse a non-negative decimal string with up to `decimals` places into a scaled bigint (no validation errors for clients). */
export function scaled(text: string, decimals: number): bigint {
  const [whole = '0', fraction = ''] = text.split('.');
  return BigInt(whole + fraction.slice(0, decimals).padEnd(decimals, '0'));
}

/** Integer division rounding up. */
export function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}
