import { ceilDiv, scaled } from './amounts.js';
import type { RateSymbol } from './currencies.js';

/** USD prices as decimal strings (e.g. "3012.55"), one per rate symbol. */
export type UsdRates = Readonly<Record<RateSymbol, string>>;

/** Where exchange rates come from. Real providers come with the real chain adapters. */
export interface ExchangeRateProvider {
  rates(): Promise<UsdRates>;
}

/** Sandbox provider: a fixed, configured table (PAYGATE_SANDBOX_RATES). */
export class FixedRateTable implements ExchangeRateProvider {
  constructor(private readonly table: UsdRates) {}
  async rates(): Promise<UsdRates> {
    return this.table;
  }
}

export const DEFAULT_SANDBOX_RATES: UsdRates = { ETH: '3000', TRX: '0.25', USDT: '1' };

/** Parse "ETH=3000,TRX=0.25,USDT=1" (missing symbols keep their defaults). */
export function parseRateTable(text: string | undefined): UsdRates {
  const out: Record<RateSymbol, string> = { ...DEFAULT_SANDBOX_RATES };
  for (const part of (text ?? '').split(',').filter((p) => p.trim() !== '')) {
    const [symbol, value] = part.split('=').map((s) => s.trim());
    if ((symbol === 'ETH' || symbol === 'TRX' || symbol === 'USDT') && value !== undefined && /^\d+(\.\d{1,6})?$/.test(value) && Number(value) > 0)
      out[symbol] = value;
    else throw new Error(`Invalid rate "${part}"; expected SYMBOL=price with SYMBOL one of ETH, TRX, USDT`);
  }
  return out;
}

/** USD value in micro-dollars (10^-6 USD) of `units` base units of a currency with `decimals`. */
export function usdMicros(units: bigint, decimals: number, rate: string): bigint {
  return (units * scaled(rate, 6)) / 10n ** BigInt(decimals);
}

/** Base units worth at least `micros` micro-dollars (rounded up). */
export function unitsForUsdMicros(micros: bigint, decimals: number, rate: string): bigint {
  return ceilDiv(micros * 10n ** BigInt(decimals), scaled(rate, 6));
}
