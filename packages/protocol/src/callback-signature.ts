import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/**
 * Callback (webhook) signatures, two schemes on every callback (docs/callbacks.md):
 *
 * - `Signature`: hex HMAC-SHA256 keyed with the API secret *string*, over the body as compact JSON
 *   with keys sorted recursively — byte-compatible with existing AkashicPay integrations.
 * - Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature` = space-separated
 *   `v1,<base64 HMAC-SHA256>` over `${id}.${timestamp}.${body}`, keyed with the secret's decoded
 *   bytes, one entry per active secret (rotation with overlap).
 *
 * Paygate sends the body already in canonical form, so both schemes sign the same bytes.
 */

/** API secrets look like `whsec_<base64 of 32 random bytes>`, as Standard Webhooks expects. */
export const SECRET_PREFIX = 'whsec_';

export function akashicSignature(secret: string, payload: unknown): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(canonicalJson(payload), 'utf8').digest('hex');
}

function standardKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
}

export function standardWebhookSignature(secret: string, webhookId: string, timestamp: number, body: string): string {
  return createHmac('sha256', standardKey(secret)).update(`${webhookId}.${timestamp}.${body}`, 'utf8').digest('base64');
}

export interface CallbackSigningInput {
  /** The payload; it is sent as its canonical JSON. */
  readonly payload: unknown;
  readonly webhookId: string;
  /** Unix seconds of this attempt. */
  readonly timestamp: number;
  /**
   * Active secrets, oldest first. `Signature` uses the oldest (until its overlap ends the BP keeps
   * verifying with it); `Signature-Next` carries the newest during a rotation; `webhook-signature`
   * lists all of them.
   */
  readonly secrets: readonly string[];
  /** Callback kind, e.g. `deposit`; sent in `Paygate-Callback-Type`. */
  readonly kind: string;
}

/** The body and headers of one callback attempt. */
export function signCallback(input: CallbackSigningInput): { body: string; headers: Record<string, string> } {
  const [oldest] = input.secrets;
  const newest = input.secrets.at(-1);
  if (oldest === undefined || newest === undefined) throw new Error('At least one active API secret is needed to sign a callback');
  const body = canonicalJson(input.payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    signature: akashicSignature(oldest, input.payload),
    'webhook-id': input.webhookId,
    'webhook-timestamp': String(input.timestamp),
    'webhook-signature': input.secrets.map((s) => `v1,${standardWebhookSignature(s, input.webhookId, input.timestamp, body)}`).join(' '),
    'paygate-callback-type': input.kind,
  };
  if (input.secrets.length > 1) headers['signature-next'] = akashicSignature(newest, input.payload);
  return { body, headers };
}

export type CallbackRejection = 'missing_headers' | 'timestamp_outside_tolerance' | 'signature_mismatch' | 'body_not_json';

/** A callback failed verification; `reason` says why. Do not act on it. */
export class CallbackVerificationError extends Error {
  override readonly name = 'CallbackVerificationError';
  constructor(
    readonly reason: CallbackRejection,
    message: string,
  ) {
    super(message);
  }
}

export interface VerifiedCallback<T = unknown> {
  readonly payload: T;
  /** Stable across retries: de-duplicate on it. */
  readonly webhookId: string | null;
  readonly kind: string | null;
  readonly timestamp: number | null;
  /** Which schemes verified. */
  readonly schemes: readonly ('standard-webhooks' | 'signature')[];
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

type HeaderBag = Readonly<Record<string, string | readonly string[] | undefined>>;

function header(headers: HeaderBag, name: string): string | undefined {
  const direct = headers[name] ?? Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
  return typeof direct === 'string' ? direct : direct?.[0];
}

/**
 * Verify a received callback in constant time: the Standard Webhooks signature (with its timestamp
 * inside `toleranceSeconds`, a replay window) when present, and the `Signature` header when present.
 * At least one scheme must be present, and every scheme present must verify.
 *
 * @example
 * const { payload, webhookId } = verifyCallback({ rawBody, headers: req.headers, secret: process.env.PAYGATE_API_SECRET });
 */
export function verifyCallback<T = unknown>(input: {
  rawBody: string | Uint8Array;
  headers: HeaderBag;
  /** Your API secret, or several during a rotation. */
  secret: string | readonly string[];
  toleranceSeconds?: number;
  now?: Date;
}): VerifiedCallback<T> {
  const body = typeof input.rawBody === 'string' ? input.rawBody : Buffer.from(input.rawBody).toString('utf8');
  const secrets = typeof input.secret === 'string' ? [input.secret] : [...input.secret];
  const tolerance = input.toleranceSeconds ?? 300;
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch (_error: unknown) {
    throw new CallbackVerificationError('body_not_json', 'The callback body is not JSON.');
  }
  const id = header(input.headers, 'webhook-id');
  const timestampText = header(input.headers, 'webhook-timestamp');
  const signatures = header(input.headers, 'webhook-signature');
  const akashic = header(input.headers, 'signature');
  const schemes: ('standard-webhooks' | 'signature')[] = [];
  let timestamp: number | null = null;

  if (id !== undefined && timestampText !== undefined && signatures !== undefined) {
    timestamp = Number(timestampText);
    const now = Math.floor((input.now ?? new Date()).getTime() / 1000);
    if (!Number.isInteger(timestamp) || Math.abs(now - timestamp) > tolerance) {
      throw new CallbackVerificationError(
        'timestamp_outside_tolerance',
        `webhook-timestamp ${timestampText} is more than ${tolerance} s from now (${now}); refusing a possible replay.`,
      );
    }
    const offered = signatures
      .split(' ')
      .filter((s) => s.startsWith('v1,'))
      .map((s) => s.slice(3));
    const ok = secrets.some((secret) => {
      const expected = standardWebhookSignature(secret, id, timestamp ?? 0, body);
      return offered.some((sig) => equal(sig, expected));
    });
    if (!ok) throw new CallbackVerificationError('signature_mismatch', 'No webhook-signature entry matches your API secret.');
    schemes.push('standard-webhooks');
  }
  if (akashic !== undefined) {
    const next = header(input.headers, 'signature-next');
    const ok = secrets.some((secret) => {
      const expected = akashicSignature(secret, payload);
      return equal(akashic, expected) || (next !== undefined && equal(next, expected));
    });
    if (!ok) throw new CallbackVerificationError('signature_mismatch', 'The Signature header does not match your API secret.');
    schemes.push('signature');
  }
  if (schemes.length === 0) throw new CallbackVerificationError('missing_headers', 'The request carries no Paygate callback signature headers.');
  return { payload: payload as T, webhookId: id ?? null, kind: header(input.headers, 'paygate-callback-type') ?? null, timestamp, schemes };
}
