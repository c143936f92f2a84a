import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { ceilDiv, formatAmount, parseAmount, scaled } from '../payments/amounts.js';
import { type Currency, currenciesFor, currencyByCode, type Environment, resolveCurrency } from '../payments/currencies.js';
import type { ExchangeRateProvider } from '../payments/rates.js';
import { unitsForUsdMicros } from '../payments/rates.js';
import type { Bp, PaymentsService } from '../payments/service.js';
import { paymentUri } from './payment-uri.js';
import type { DepositUrlOptionRow, DepositUrlRow, DepositUrlStore, LinkDepositRow } from './store.js';

/** The URL token: 32 random bytes, base64url. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
/** Ether amounts are shown (and asked for) with at most this many decimals, rounded up. */
const DISPLAY_DECIMALS = 6;

export interface CreateDepositUrlInput {
  readonly identifier: string;
  readonly referenceId?: string | undefined;
  readonly receiveCurrencies?: readonly string[] | undefined;
  readonly networks?: readonly string[] | undefined;
  readonly requestedAmount?: string | undefined;
  readonly requestedCurrency?: string | undefined;
  readonly redirectUrl?: string | undefined;
  readonly expiresInSeconds?: number | undefined;
}

export interface DepositUrlView {
  readonly id: string;
  readonly url: string;
  readonly identifier: string;
  readonly referenceId: string | null;
  readonly requestedAmount: string | null;
  readonly requestedCurrency: string | null;
  readonly redirectUrl: string | null;
  readonly expiresAt: string;
  readonly currencies: { network: string; coinSymbol: string; tokenSymbol: string | null; address: string }[];
}

/** One way to pay that a link offers, as the public page shows it. */
export interface PageOption {
  /** Ledger code, used in the page's `?pay=` choice. */
  readonly key: string;
  readonly network: string;
  readonly asset: string;
  readonly displayName: string;
  readonly address: string;
  /** The amount to send in this currency, or null when the link asks for none. */
  readonly amountDue: string | null;
  /** The requested value when it is in another unit (e.g. "12.5 USD"), else null. */
  readonly requestedValue: string | null;
  readonly paymentUri: string;
}

export type DepositState = 'waiting' | 'seen' | 'confirming' | 'confirmed' | 'failed' | 'underpaid' | 'expired';

export interface DepositStatus {
  readonly state: DepositState;
  readonly expiresAt: string;
  readonly serverTime: string;
  readonly deposit: {
    readonly amount: string;
    readonly asset: string;
    readonly network: string;
    readonly confirmations: number;
    readonly requiredConfirmations: number;
    readonly txHash: string | null;
  } | null;
  /** Where to send the customer; only once the payment is confirmed. */
  readonly redirectUrl: string | null;
}

export type DepositPage =
  | { readonly kind: 'invalid' }
  | { readonly kind: 'expired'; readonly merchant: string }
  | {
      readonly kind: 'open';
      readonly merchant: string;
      readonly environment: Environment;
      readonly options: readonly PageOption[];
      readonly status: DepositStatus;
    };

export interface RateLimit {
  readonly limit: number;
  readonly windowSeconds: number;
}

export interface DepositPagesOptions {
  /** May redirectUrl be http:// (development only)? */
  readonly allowHttpRedirects: boolean;
  /** Status polls allowed per link, and per client IP, in a window. */
  readonly perLink: RateLimit;
  readonly perIp: RateLimit;
}

/** A customer's page polls every 3 s (20 a minute); the headroom covers a second tab and reloads. */
export const DEFAULT_STATUS_LIMITS: { readonly perLink: RateLimit; readonly perIp: RateLimit } = {
  perLink: { limit: 40, windowSeconds: 60 },
  perIp: { limit: 240, windowSeconds: 60 },
};

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const assetOf = (c: Currency) => c.tokenSymbol ?? c.coinSymbol;

/**
 * Hosted deposit pages: a signed request creates a link for one customer (identifier); the
 * public page behind it shows the offered currencies, the address and amount, and the status of
 * the deposit as the payments core records it — so it works unchanged on any chain adapter.
 */
export class DepositPagesService {
  constructor(
    private readonly store: DepositUrlStore,
    private readonly payments: PaymentsService,
    private readonly rates: ExchangeRateProvider,
    private readonly clock: Clock,
    private readonly options: DepositPagesOptions,
  ) {}

  async create(bp: Bp, input: CreateDepositUrlInput, baseUrl: string): Promise<DepositUrlView> {
    const offered = offeredCurrencies(bp.environment, input.networks, input.receiveCurrencies);
    const requested = this.#requested(bp.environment, offered, input);
    const redirectUrl = input.redirectUrl === undefined ? null : this.#redirect(input.redirectUrl);
    const ttl = input.expiresInSeconds ?? (await this.payments.settings(bp.bpId)).depositRequestTtlSeconds;
    // One address (and, with an amount, one deposit request) per network; a network's coin and its USDT share the address.
    const perNetwork = new Map<string, Awaited<ReturnType<PaymentsService['getDepositAddress']>> & { id: string }>();
    for (const network of new Set(offered.map((c) => c.network))) {
      const address = await this.payments.getDepositAddress(bp, {
        network,
        identifier: input.identifier,
        referenceId: input.referenceId,
        requestedAmount: requested?.amount,
        requestedCurrency: requested?.currency,
        expiresInSeconds: ttl,
      });
      perNetwork.set(network, { ...address, id: await this.store.addressId(bp.bpId, network, input.identifier) });
    }
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.clock.now().getTime() + ttl * 1000);
    const id = newId('du');
    const row = await this.store.insert(
      {
        id,
        bp_id: bp.bpId,
        token_hash: hashToken(token),
        identifier: input.identifier,
        reference_id: input.referenceId ?? null,
        requested_amount: requested?.amount ?? null,
        requested_currency: requested?.currency ?? null,
        redirect_url: redirectUrl,
        expires_at: expiresAt,
      },
      offered.map((c, position) => {
        const address = perNetwork.get(c.network);
        if (address === undefined) throw new Error(`no address for ${c.network}`);
        return { position, currency: c.code, deposit_address_id: address.id, deposit_request_id: address.depositRequest?.id ?? null };
      }),
    );
    return {
      id,
      url: `${baseUrl.replace(/\/+$/, '')}/pay/${token}`,
      identifier: row.identifier,
      referenceId: row.reference_id,
      requestedAmount: requested?.amount ?? null,
      requestedCurrency: requested?.currency ?? null,
      redirectUrl,
      expiresAt: expiresAt.toISOString(),
      currencies: offered.map((c) => ({
        network: c.network,
        coinSymbol: c.coinSymbol,
        tokenSymbol: c.tokenSymbol,
        address: perNetwork.get(c.network)?.address ?? '',
      })),
    };
  }

  #requested(environment: Environment, offered: readonly Currency[], input: CreateDepositUrlInput): { amount: string; currency: string } | undefined {
    if (input.requestedAmount === undefined) {
      if (input.requestedCurrency !== undefined)
        throw new AppError('validation_failed', 'requestedCurrency needs requestedAmount.', {
          errors: [{ field: 'body.requestedAmount', message: 'Required with requestedCurrency' }],
        });
      return undefined;
    }
    const currency = input.requestedCurrency ?? 'USD';
    if (currency === 'USD' || currency === 'USDT') {
      parseAmount(input.requestedAmount, currency === 'USD' ? 2 : 6, 'body.requestedAmount');
      return { amount: input.requestedAmount, currency };
    }
    // An amount in a coin only makes sense when that coin is the one thing offered.
    const coin = currenciesFor(environment).find((c) => c.tokenSymbol === null && c.coinSymbol === currency);
    if (coin === undefined || offered.some((c) => c.code !== coin.code)) {
      throw new AppError(
        'token_unsupported',
        `requestedCurrency must be USD or USDT when several currencies are offered; ${currency} is only possible when receiveCurrencies and networks allow just ${currency}.`,
        { errors: [{ field: 'body.requestedCurrency', message: 'Use USD, USDT, or offer only this coin' }] },
      );
    }
    parseAmount(input.requestedAmount, coin.decimals, 'body.requestedAmount');
    return { amount: input.requestedAmount, currency };
  }

  #redirect(text: string): string {
    const invalid = (message: string) => new AppError('redirect_url_invalid', message, { errors: [{ field: 'body.redirectUrl', message }] });
    let url: URL;
    try {
      url = new URL(text);
    } catch (error: unknown) {
      if (error instanceof TypeError) throw invalid('redirectUrl must be an absolute URL, e.g. https://shop.example.com/thanks');
      throw error;
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.options.allowHttpRedirects))
      throw invalid(this.options.allowHttpRedirects ? 'redirectUrl must use https or http' : 'redirectUrl must use https');
    if (url.username !== '' || url.password !== '') throw invalid('redirectUrl must not contain credentials');
    return url.toString();
  }

  /** Is a URL token well-formed? (Forged shapes are refused before any database work.) */
  static isToken(token: string): boolean {
    return TOKEN.test(token);
  }

  /** Everything the public page shows for a token, or why it shows nothing. */
  async page(token: string): Promise<DepositPage> {
    const link = TOKEN.test(token) ? await this.store.findByTokenHash(hashToken(token)) : undefined;
    if (link === undefined) return { kind: 'invalid' };
    const options = await this.store.options(link.id);
    const status = await this.#status(link, options);
    if (status.state === 'expired' && status.deposit === null) return { kind: 'expired', merchant: link.bp_name };
    const rates = await this.rates.rates();
    return {
      kind: 'open',
      merchant: link.bp_name,
      environment: link.environment,
      status,
      options: options.map((o) => {
        const currency = currencyByCode(o.currency);
        const due = amountDue(link, currency, rates[currency.rateSymbol]);
        return {
          key: currency.code,
          network: currency.network,
          asset: assetOf(currency),
          displayName: currency.displayName,
          address: o.address,
          amountDue: due === null ? null : formatAmount(due, currency.decimals),
          requestedValue:
            link.requested_amount !== null && link.requested_currency !== null && link.requested_currency !== assetOf(currency)
              ? `${trimDecimal(link.requested_amount)} ${link.requested_currency}`
              : null,
          paymentUri: paymentUri(currency, o.address, due),
        };
      }),
    };
  }

  /** The live status of a token's deposit, or null for an unknown token. */
  async status(token: string): Promise<DepositStatus | null> {
    const link = TOKEN.test(token) ? await this.store.findByTokenHash(hashToken(token)) : undefined;
    if (link === undefined) return null;
    return this.#status(link, await this.store.options(link.id));
  }

  /**
   * Count a status poll against the link and the client IP; throws too_many_attempts (with
   * Retry-After) past either limit. Counters live in the database, so every API process shares them.
   */
  async throttleStatus(token: string, ip: string): Promise<void> {
    const now = this.clock.now();
    const checks: [string, RateLimit][] = [
      [`deposit-status:link:${hashToken(token).slice(0, 32)}`, this.options.perLink],
      [`deposit-status:ip:${ip}`, this.options.perIp],
    ];
    for (const [bucket, rule] of checks) {
      const windowMs = rule.windowSeconds * 1000;
      const start = Math.floor(now.getTime() / windowMs) * windowMs;
      const hits = await this.store.hit(bucket, new Date(start));
      if (hits > rule.limit) {
        const retryAfter = Math.max(1, Math.ceil((start + windowMs - now.getTime()) / 1000));
        throw new AppError(
          'too_many_attempts',
          `Too many status checks; try again in ${retryAfter} s.`,
          { retryAfterSeconds: retryAfter },
          { 'retry-after': String(retryAfter) },
        );
      }
    }
  }

  /** Drop rate-limit windows that ended more than an hour ago (maintenance). */
  pruneCounters(): Promise<number> {
    return this.store.pruneCounters(new Date(this.clock.now().getTime() - 3600_000));
  }

  async #status(link: DepositUrlRow, options: readonly DepositUrlOptionRow[]): Promise<DepositStatus> {
    const now = this.clock.now();
    const deposits = await this.store.deposits(link, options);
    const deposit = pickDeposit(link, options, deposits);
    const base = { expiresAt: link.expires_at.toISOString(), serverTime: now.toISOString() };
    if (deposit === null) return { ...base, state: now >= link.expires_at ? 'expired' : 'waiting', deposit: null, redirectUrl: null };
    const currency = currencyByCode(deposit.row.currency);
    const view = {
      amount: formatAmount(BigInt(deposit.row.amount), currency.decimals),
      asset: assetOf(currency),
      network: currency.network,
      confirmations: deposit.row.confirmations,
      requiredConfirmations: deposit.row.required_confirmations,
      txHash: deposit.row.tx_hash,
    };
    const state: DepositState = deposit.underpaid
      ? 'underpaid'
      : deposit.row.status === 'Confirmed'
        ? 'confirmed'
        : deposit.row.status === 'Failed'
          ? 'failed'
          : deposit.row.confirmations > 0
            ? 'confirming'
            : 'seen';
    return { ...base, state, deposit: view, redirectUrl: state === 'confirmed' ? link.redirect_url : null };
  }
}

/**
 * Which deposit the page reports. With a requested amount: the one the payments core matched to
 * one of the link's deposit requests; failing that, a received deposit that did not cover it
 * (underpaid). Without an amount: the first credited deposit; a deposit below the 1 USDT minimum
 * (never credited) counts as underpaid.
 */
function pickDeposit(
  link: DepositUrlRow,
  options: readonly DepositUrlOptionRow[],
  deposits: readonly LinkDepositRow[],
): { row: LinkDepositRow; underpaid: boolean } | null {
  if (link.requested_amount !== null) {
    const requests = new Set(options.map((o) => o.deposit_request_id).filter((id) => id !== null));
    const matched = deposits.find((d) => d.deposit_request_id !== null && requests.has(d.deposit_request_id));
    if (matched !== undefined) return { row: matched, underpaid: false };
    const short = deposits.filter((d) => d.deposit_request_id === null && d.status !== 'Failed').at(-1);
    return short === undefined ? null : { row: short, underpaid: true };
  }
  const credited = deposits.find((d) => d.settled);
  if (credited !== undefined) return { row: credited, underpaid: false };
  const small = deposits.at(-1);
  return small === undefined ? null : { row: small, underpaid: true };
}

/** What the customer should send in `currency` (base units), rounded up so it always covers the request. */
function amountDue(link: DepositUrlRow, currency: Currency, rate: string): bigint | null {
  if (link.requested_amount === null || link.requested_currency === null) return null;
  if (link.requested_currency !== 'USD' && link.requested_currency !== 'USDT') return scaled(link.requested_amount, currency.decimals);
  // The payments core values USD and USDT requests alike in micro-dollars (1 USDT = 1 USD).
  const units = unitsForUsdMicros(scaled(link.requested_amount, 6), currency.decimals, rate);
  if (currency.decimals <= DISPLAY_DECIMALS) return units;
  const step = 10n ** BigInt(currency.decimals - DISPLAY_DECIMALS);
  return ceilDiv(units, step) * step;
}

function trimDecimal(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

/** The currencies a link offers: the environment's, narrowed by `networks` and `receiveCurrencies`. */
export function offeredCurrencies(environment: Environment, networks?: readonly string[], receive?: readonly string[]): Currency[] {
  const all = currenciesFor(environment);
  for (const network of networks ?? []) resolveCurrency(environment, network, null);
  const symbols = [...new Set(all.map(assetOf))];
  for (const symbol of receive ?? []) {
    if (!symbols.includes(symbol))
      throw new AppError('token_unsupported', `receiveCurrencies: "${symbol}" is not offered here; use ${symbols.join(', ')}.`, {
        errors: [{ field: 'body.receiveCurrencies', message: `One of ${symbols.join(', ')}` }],
        supported: symbols,
      });
  }
  const offered = all.filter((c) => (networks === undefined || networks.includes(c.network)) && (receive === undefined || receive.includes(assetOf(c))));
  if (offered.length === 0) {
    throw new AppError('validation_failed', 'No currency is left: receiveCurrencies and networks exclude each other (e.g. TRX on an Ethereum network).', {
      errors: [{ field: 'body.receiveCurrencies', message: 'No offered currency on the given networks' }],
    });
  }
  return offered;
}
