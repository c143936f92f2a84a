import { signCallback } from '@paygate/protocol';
import { type Dispatcher, request, errors as undiciErrors } from 'undici';
import type { Clock } from '../../lib/clock.js';
import { parseRetryAfter } from './retry-schedule.js';
import { BlockedAddressError, type SsrfGuard } from './ssrf-guard.js';

/** Why an attempt failed, in the delivery log's words (docs/callbacks.md). */
export type ErrorClass = 'timeout' | 'refused' | 'dns' | 'tls' | 'blocked' | 'non_2xx' | 'network' | 'signing';

/** One attempt as the delivery log records it. */
export interface AttemptResult {
  readonly started: Date;
  readonly durationMs: number;
  readonly statusCode: number | null;
  /** null: delivered (2xx within the timeout). */
  readonly errorClass: ErrorClass | null;
  readonly errorMessage: string | null;
  /** The headers exactly as sent (signatures included; never a secret). */
  readonly requestHeaders: Record<string, string> | null;
  readonly responseHeaders: Record<string, unknown> | null;
  readonly excerpt: string | null;
  /** Seconds the endpoint asked us to wait (Retry-After on 429/503), if it did. */
  readonly retryAfter: number | null;
}

export interface AttemptRequest {
  readonly url: string;
  readonly payload: unknown;
  readonly webhookId: string;
  readonly kind: string;
  readonly timeoutMs: number;
  /** The BP's active secrets, oldest first; empty when none is readable (the attempt fails as `signing`). */
  readonly secrets: readonly string[];
}

export interface AttemptTransport {
  readonly dispatcher: Dispatcher;
  readonly guard: SsrfGuard;
  readonly clock: Clock;
}

const RESPONSE_EXCERPT_BYTES = 2048;
const USER_AGENT = 'Paygate-Callbacks/1.0';

/**
 * Sign and POST one callback. Never throws: every failure becomes an {@link AttemptResult} with
 * its error class. Success is a 2xx within the timeout; redirects are not followed (undici's
 * `request` does not follow them).
 */
export async function sendAttempt(input: AttemptRequest, transport: AttemptTransport): Promise<AttemptResult> {
  const started = transport.clock.now();
  const t0 = performance.now();
  let statusCode: number | null = null;
  let errorClass: ErrorClass | null = null;
  let errorMessage: string | null = null;
  let responseHeaders: Record<string, unknown> | null = null;
  let excerpt: string | null = null;
  let retryAfter: number | null = null;
  let requestHeaders: Record<string, string> | null = null;
  try {
    transport.guard.checkUrl(input.url);
    if (input.secrets.length === 0) throw new SigningError();
    const { body, headers } = signCallback({
      payload: input.payload,
      webhookId: input.webhookId,
      timestamp: Math.floor(started.getTime() / 1000),
      secrets: input.secrets,
      kind: input.kind,
    });
    requestHeaders = { ...headers, 'user-agent': USER_AGENT };
    const response = await request(input.url, {
      method: 'POST',
      body,
      headers: requestHeaders,
      dispatcher: transport.dispatcher,
      headersTimeout: input.timeoutMs,
      bodyTimeout: input.timeoutMs,
      signal: AbortSignal.timeout(input.timeoutMs),
    });
    statusCode = response.statusCode;
    responseHeaders = response.headers as Record<string, unknown>;
    excerpt = await readExcerpt(response.body);
    if (statusCode < 200 || statusCode >= 300) {
      errorClass = 'non_2xx';
      if (statusCode === 429 || statusCode === 503) {
        const header = response.headers['retry-after'];
        retryAfter = parseRetryAfter(typeof header === 'string' ? header : undefined, started);
      }
    }
  } catch (error: unknown) {
    [errorClass, errorMessage] = classify(error);
  }
  const durationMs = Math.round(performance.now() - t0);
  return { started, durationMs, statusCode, errorClass, errorMessage, requestHeaders, responseHeaders, excerpt, retryAfter };
}

class SigningError extends Error {
  override readonly name = 'SigningError';
  constructor() {
    super('No active API secret could be read to sign with, so the callback was not sent (if the BP has one, the master key may have changed)');
  }
}

/** PostgreSQL text cannot hold NUL; an endpoint's answer (say, a gzip body) must not make the attempt unrecordable. */
function withoutNul(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '') : text;
}

async function readExcerpt(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    if (size < RESPONSE_EXCERPT_BYTES) chunks.push(buffer.subarray(0, RESPONSE_EXCERPT_BYTES - size));
    size += buffer.length;
  }
  return withoutNul(Buffer.concat(chunks).toString('utf8'));
}

/** Name the failure so a person reading the delivery log knows where to look. */
function classify(error: unknown): [ErrorClass, string] {
  const message = withoutNul(error instanceof Error ? error.message : String(error));
  const code = (error as { code?: unknown } | null)?.code ?? (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  if (error instanceof SigningError) return ['signing', message];
  if (error instanceof BlockedAddressError || code === 'EBLOCKED') return ['blocked', message];
  if (
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError ||
    (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
  )
    return ['timeout', message];
  if (code === 'ECONNREFUSED') return ['refused', message];
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return ['dns', message];
  if (typeof code === 'string' && (code.startsWith('ERR_TLS') || code.includes('CERT') || code === 'EPROTO')) return ['tls', message];
  return ['network', message];
}
