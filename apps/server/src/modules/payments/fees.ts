import { ceilDiv } from './amounts.js';
import { unitsForUsdMicros, usdMicros } from './rates.js';

/** Deposits below this USD value (1 USDT) on Layer 1 are recorded but not settled and send no callbacks. */
export const MIN_SETTLED_DEPOSIT_USD_MICROS = 1_000_000n;
/** Deposit fee: 0.1 % … */
export const DEPOSIT_FEE_BASIS_POINTS = 10n;
/** … but at least 0.1 USD worth. */
export const MIN_DEPOSIT_FEE_USD_MICROS = 100_000n;

/**
 * The deposit fee in base units: max(0.1 % rounded up, the equivalent of 0.1 USD rounded up),
 * never more than the deposit itself.
 *
 * @example depositFee(100_000_000n, 6, '1') // 100000n  (0.1 USDT on 100 USDT)
 */
export function depositFee(amount: bigint, decimals: number, usdRate: string): bigint {
  const percentage = ceilDiv(amount * DEPOSIT_FEE_BASIS_POINTS, 10_000n);
  const minimum = unitsForUsdMicros(MIN_DEPOSIT_FEE_USD_MICROS, decimals, usdRate);
  // biome-ignore lint/complexity/useMathMinMax: Math.max does not take bigints.
  const fee = percentage > minimum ? percentage : minimum;
  return fee > amount ? amount : fee;
}

export function isSettledDeposit(amount: bigint, decimals: number, usdRate: string): boolean {
  return usdMicros(amount, decimals, usdRate) >= MIN_SETTLED_DEPOSIT_USD_MICROS;
}
