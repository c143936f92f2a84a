import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  type Balance,
  type DepositAddress,
  type DepositUrl,
  parseKeyFile,
  type SupportedCurrency,
  signRequest,
  type Transaction,
  type TransactionPage,
} from '@paygate/protocol';
import { PaygateApiError, PaygateConnectionError } from './errors.js';

export interface PaygateOptions {
  /** Your Paygate's base URL, e.g. `https://pay.example.com`. */
  readonly baseUrl: string;
  /** The Secondary KeyPair id (`kp_…`). */
  readonly keyId: string;
  /** The Ed25519 private key: PKCS#8 PEM or a KeyObject. */
  readonly privateKey: string | KeyObject;
  /** Per-attempt timeout (default 15 s). */
  readonly timeoutMs?: number;
  /** Retries of idempotent requests after network errors and 5xx (default 2). */
  readonly maxRetries?: number;
  /** Inject a fetch implementation (tests, proxies). Defaults to the global fetch. */
  readonly fetch?: typeof fetch;
}

export interface Me {
  readonly bpId: string;
  readonly bpName: string;
  readonly keyId: string;
  readonly environment: 'sandbox' | 'live';
  readonly serverTime: string;
}

export interface RequestOptions {
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly body?: unknown;
  /**
   * Whether the request may be retried after a network error or 5xx. Defaults to true for
   * GET/HEAD/PUT/DELETE and false for POST/PATCH, where a retry could act twice.
   */
  readonly idempotent?: boolean;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);

/**
 * The Paygate API client for Business Partner backends. Every request is signed with the
 * Secondary KeyPair (RFC 9421, Ed25519); each attempt gets a fresh nonce and timestamp.
 *
 * @example
 * const paygate = Paygate.fromKeyFile('./paygate-kp_01jd….json');
 * const me = await paygate.me();
 * console.log(me.bpId, me.keyId);
 */
export class Paygate {
  readonly baseUrl: string;
  readonly keyId: string;
  readonly #privateKey: string | KeyObject;
  readonly #timeoutMs: number;
  readonly #maxRetries: number;
  readonly #fetch: typeof fetch;

  constructor(options: PaygateOptions) {
    if (!/^https?:\/\//.test(options.baseUrl)) throw new TypeError('baseUrl must be an http(s) URL');
    if (!/^kp_[0-9a-z]{26}$/.test(options.keyId)) throw new TypeError('keyId must be a KeyPair id (kp_…)');
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.keyId = options.keyId;
    this.#privateKey = options.privateKey;
    this.#timeoutMs = options.timeoutMs ?? 15_000;
    this.#maxRetries = options.maxRetries ?? 2;
    this.#fetch = options.fetch ?? fetch;
  }

  /**
   * Build a client from the key file downloaded from the dashboard (a path, or its contents).
   * `baseUrl` defaults to the one recorded in the file.
   */
  static fromKeyFile(pathOrContents: string, overrides: Partial<Omit<PaygateOptions, 'keyId' | 'privateKey'>> = {}): Paygate {
    const text = pathOrContents.trimStart().startsWith('{') ? pathOrContents : readFileSync(pathOrContents, 'utf8');
    const file = parseKeyFile(text);
    const baseUrl = overrides.baseUrl ?? file.baseUrl;
    if (baseUrl === null || baseUrl === undefined) throw new TypeError('The key file has no baseUrl; pass { baseUrl }');
    return new Paygate({ ...overrides, baseUrl, keyId: file.keyId, privateKey: file.privateKey });
  }

  /** Who these credentials authenticate as. A quick way to test an integration. */
  me(): Promise<Me> {
    return this.request<Me>('GET', '/v1/me');
  }

  // ── payments (names an AkashicPay integrator looks for) ──────────────────

  /** The permanent deposit address of `identifier` on `network` (optionally opening a deposit request). */
  getDepositAddress(input: {
    network: string;
    identifier: string;
    referenceId?: string;
    requestedAmount?: string;
    requestedCurrency?: string;
    expiresInSeconds?: number;
  }): Promise<DepositAddress> {
    // Idempotent by (identifier, network): safe to retry.
    return this.request<DepositAddress>('POST', '/v1/deposit-addresses', { body: input, idempotent: true });
  }

  /**
   * A hosted deposit page for one customer: send them to the returned `url`. The page lets them
   * pick one of the offered currencies (`receiveCurrencies` × `networks`, default all), shows the
   * address, QR code and amount, follows the deposit live and, once it is confirmed, sends them to
   * `redirectUrl`. Each call creates a new link (not retried automatically).
   *
   * @example
   * const { url } = await paygate.getDepositUrl({ identifier: 'user-42', referenceId: 'order-1001', requestedAmount: '25', redirectUrl: 'https://shop.example.com/thanks' });
   */
  getDepositUrl(input: {
    identifier: string;
    referenceId?: string;
    receiveCurrencies?: string[];
    networks?: string[];
    requestedAmount?: string;
    requestedCurrency?: string;
    redirectUrl?: string;
    expiresInSeconds?: number;
  }): Promise<DepositUrl> {
    return this.request<DepositUrl>('POST', '/v1/deposit-urls', { body: input });
  }

  /** Send a payout. Idempotent by `referenceId`, so it is retried safely after network errors. */
  payout(input: { referenceId: string; to: string; amount: string; network: string; token?: string }): Promise<Transaction> {
    return this.request<Transaction>('POST', '/v1/payouts', { body: input, idempotent: true });
  }

  /** Transactions, newest first, with filters and pages of 10/25/50/100. */
  getTransfers(
    query: {
      layer?: 'L1' | 'L2';
      status?: 'Pending' | 'Confirmed' | 'Failed';
      type?: 'Deposit' | 'Withdrawal';
      from?: string;
      to?: string;
      hideSmall?: boolean;
      page?: number;
      limit?: 10 | 25 | 50 | 100;
    } = {},
  ): Promise<TransactionPage> {
    return this.request<TransactionPage>('GET', '/v1/transactions', { query });
  }

  getTransactionDetails(id: string): Promise<Transaction> {
    return this.request<Transaction>('GET', `/v1/transactions/${encodeURIComponent(id)}`);
  }

  async getBalance(): Promise<Balance[]> {
    return (await this.request<{ items: Balance[] }>('GET', '/v1/balances')).items;
  }

  async getSupportedCurrencies(): Promise<SupportedCurrency[]> {
    return (await this.request<{ items: SupportedCurrency[] }>('GET', '/v1/supported-currencies')).items;
  }

  async getExchangeRates(): Promise<{ symbol: string; usd: string }[]> {
    return (await this.request<{ items: { symbol: string; usd: string }[] }>('GET', '/v1/exchange-rates')).items;
  }

  /**
   * Ask Paygate whether it really sent the callback with this webhook-id (and Signature). Resolves
   * with the authoritative payload, and Paygate then sends a confirming `verification` callback;
   * rejects with code `callback_unknown` (forged) or `callback_mismatch` (altered).
   */
  confirmCallback(webhookId: string, signature?: string): Promise<{ verified: true; kind: string; payload: unknown; verificationId: string | null }> {
    return this.request('POST', '/v1/callbacks/verify', { body: { webhookId, ...(signature !== undefined ? { signature } : {}) }, idempotent: true });
  }

  /** Send a signed request and parse the JSON answer; errors become {@link PaygateApiError}. */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const upper = method.toUpperCase();
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) search.set(k, String(v));
    const target = `${path}${search.size > 0 ? `?${search.toString()}` : ''}`;
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const retries = (options.idempotent ?? IDEMPOTENT_METHODS.has(upper)) ? this.#maxRetries : 0;

    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = {
        accept: 'application/json',
        'user-agent': 'paygate-sdk-node/0.1.0',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      };
      Object.assign(
        headers,
        signRequest({ method: upper, url: target, headers, ...(body !== undefined ? { body } : {}) }, { keyId: this.keyId, privateKey: this.#privateKey }),
      );
      let response: Response;
      try {
        response = await this.#fetch(`${this.baseUrl}${target}`, {
          method: upper,
          headers,
          ...(body !== undefined ? { body } : {}),
          redirect: 'error',
          signal: AbortSignal.timeout(this.#timeoutMs),
        });
      } catch (error: unknown) {
        if (attempt < retries) {
          await backoff(attempt, undefined);
          continue;
        }
        throw new PaygateConnectionError(`${upper} ${target} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      const text = await response.text();
      if (response.ok) return (text === '' ? undefined : JSON.parse(text)) as T;
      if (RETRYABLE_STATUS.has(response.status) && attempt < retries) {
        await backoff(attempt, response.headers.get('retry-after'));
        continue;
      }
      throw PaygateApiError.fromResponse(response.status, text, response.headers.get('x-request-id') ?? undefined);
    }
  }
}

/** 250 ms, 500 ms, 1 s … (capped at 8 s) with full jitter; a Retry-After up to 30 s wins. */
function backoff(attempt: number, retryAfter: string | null | undefined): Promise<void> {
  const hinted = retryAfter !== null && retryAfter !== undefined && /^\d+$/.test(retryAfter) ? Math.min(Number(retryAfter), 30) * 1000 : undefined;
  const delay = hinted ?? Math.random() * Math.min(8_000, 250 * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, delay));
}
