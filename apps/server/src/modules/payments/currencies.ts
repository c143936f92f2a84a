import { AppError } from '../../lib/errors.js';

export type Environment = 'sandbox' | 'live';
export type Chain = 'ethereum' | 'tron';
export type RateSymbol = 'ETH' | 'TRX' | 'USDT';

/** One thing a BP can hold and move: a native coin or USDT on a network. */
export interface Currency {
  /** Ledger key, e.g. `ETH`, `USDT-TRX`, `SEP`, `USDT-TRX-SHASTA`. */
  readonly code: string;
  readonly environment: Environment;
  /** Network symbol on the wire (AkashicPay's `coinSymbol`): ETH, TRX, or the testnets SEP, TRX-SHASTA. */
  readonly network: string;
  readonly chain: Chain;
  readonly coinSymbol: string;
  readonly tokenSymbol: 'USDT' | null;
  readonly decimals: number;
  readonly rateSymbol: RateSymbol;
  /** Confirmations after which a deposit is final. */
  readonly confirmations: number;
  /** Network fee charged on a Layer 1 payout, in base units of this currency. */
  readonly payoutFee: bigint;
  readonly displayName: string;
}

function currency(
  environment: Environment,
  network: string,
  chain: Chain,
  token: 'USDT' | null,
  fields: Pick<Currency, 'decimals' | 'rateSymbol' | 'confirmations' | 'payoutFee' | 'displayName'>,
): Currency {
  return { code: token === null ? network : `USDT-${network}`, environment, network, chain, coinSymbol: network, tokenSymbol: token, ...fields };
}

/**
 * The supported currencies. Sandbox BPs use the testnet symbols (SEP for Ethereum Sepolia,
 * TRX-SHASTA for Tron Shasta) everywhere — on the wire, in balances and in callbacks — so test
 * traffic can never be mistaken for real money.
 */
export const CURRENCIES: readonly Currency[] = (['live', 'sandbox'] as const).flatMap((env) => {
  const eth = env === 'live' ? 'ETH' : 'SEP';
  const trx = env === 'live' ? 'TRX' : 'TRX-SHASTA';
  return [
    currency(env, eth, 'ethereum', null, {
      decimals: 18,
      rateSymbol: 'ETH',
      confirmations: 12,
      payoutFee: 500_000_000_000_000n,
      displayName: env === 'live' ? 'Ether' : 'Sepolia Ether',
    }),
    currency(env, trx, 'tron', null, {
      decimals: 6,
      rateSymbol: 'TRX',
      confirmations: 19,
      payoutFee: 1_000_000n,
      displayName: env === 'live' ? 'TRON' : 'TRON (Shasta)',
    }),
    currency(env, eth, 'ethereum', 'USDT', { decimals: 6, rateSymbol: 'USDT', confirmations: 12, payoutFee: 1_000_000n, displayName: 'Tether USD (ERC-20)' }),
    currency(env, trx, 'tron', 'USDT', { decimals: 6, rateSymbol: 'USDT', confirmations: 19, payoutFee: 1_000_000n, displayName: 'Tether USD (TRC-20)' }),
  ];
});

export function currenciesFor(environment: Environment): Currency[] {
  return CURRENCIES.filter((c) => c.environment === environment);
}

export function currencyByCode(code: string): Currency {
  const found = CURRENCIES.find((c) => c.code === code);
  if (found === undefined) throw new Error(`Unknown currency ${code}`);
  return found;
}

/** Resolve `network` (+ optional `token`) for a BP's environment, with errors that say what is valid. */
export function resolveCurrency(environment: Environment, network: string, token: string | null | undefined): Currency {
  const available = currenciesFor(environment);
  const networks = [...new Set(available.map((c) => c.network))];
  if (!networks.includes(network)) {
    const other = CURRENCIES.find((c) => c.network === network);
    throw new AppError(
      'network_unsupported',
      other === undefined
        ? `Unknown network "${network}". Use one of ${networks.join(', ')}.`
        : `${network} is a ${other.environment} network; this Business Partner is in the ${environment} environment, so use ${networks.join(' or ')}.`,
      { supported: networks },
    );
  }
  const match = available.find((c) => c.network === network && c.tokenSymbol === (token ?? null));
  if (match === undefined) {
    throw new AppError('token_unsupported', `Token "${token}" is not supported on ${network}; use USDT or no token (the native coin).`, {
      supported: ['USDT'],
    });
  }
  return match;
}

export function networkChain(environment: Environment, network: string): Chain {
  return resolveCurrency(environment, network, null).chain;
}
