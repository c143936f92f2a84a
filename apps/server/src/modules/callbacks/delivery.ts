import { signCallback } from '@paygate/protocol';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { Logger } from 'pino';
import { Agent, type Dispatcher, request, errors as undiciErrors } from 'undici';
import { CHANNELS } from '../../db/channels.js';
import type { Database } from '../../db/database.js';
import type { CallbackDeliveriesTable, DB } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import type { AuditService } from '../audit/service.js';
import type { ApiSecretsService } from './api-secrets.js';
import { nextDelayMs, parseRetryAfter } from './retry-schedule.js';
import { BlockedAddressError, SsrfGuard } from './ssrf-guard.js';

type ClaimedDelivery = Selectable<CallbackDeliveriesTable> & { payload: unknown; timeout_ms: number };

interface AttemptResult {
  readonly started: Date;
  readonly durationMs: number;
  readonly statusCode: number | null;
  readonly errorClass: ErrorClass | null;
  readonly errorMessage: string | null;
  readonly requestHeaders: Record<string, string> | null;
  readonly responseHeaders: Record<string, unknown> | null;
  readonly excerpt: string | null;
  readonly retryAfter: number | null;
}

type ErrorClass = 'timeout' | 'refused' | 'dns' | 'tls' | 'blocked' | 'non_2xx' | 'network';

export interface DeliveryOptions {
  readonly retryScheduleMs: readonly number[];
  /** Deliveries claimed per round. */
  readonly batchSize: number;
  /** Concurrent connections per callback origin: one slow BP cannot take every slot. */
  readonly perOriginConnections: number;
  /** Poll interval when no NOTIFY arrives. */
  readonly pollIntervalMs: number;
  /** Local address to send from (published at /v1/meta/callback-ips), if any. */
  readonly localAddress?: string | undefined;
  /** How long a claim lasts before another worker may take the delivery over (must exceed the longest timeout). */
  readonly leaseMs?: number;
  /** Ranges the SSRF guard lets through besides public unicast (e.g. 127.0.0.0/8 in development). */
  readonly allowedRanges: readonly string[];
}

const RESPONSE_EXCERPT_BYTES = 2048;

/**
 * The durable callback delivery worker. Claims due deliveries with FOR UPDATE SKIP LOCKED (so any
 * number of workers share the work without sending one twice), never sends a transaction's
 * callback before its earlier ones finished, signs each attempt (docs/callbacks.md), sends it with
 * undici without following redirects, logs the attempt, and schedules the retry from the schedule
 * (jitter; Retry-After honoured, capped). A claim is a lease: if a worker dies mid-send, the lease
 * expires and another worker resends the same message with the same webhook-id.
 */
export class CallbackDeliveryWorker {
  readonly #dispatcher: Dispatcher;
  readonly #guard: SsrfGuard;
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #unlisten: (() => Promise<void>) | undefined;

  constructor(
    private readonly database: Database,
    private readonly secrets: ApiSecretsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly logger: Pick<Logger, 'warn' | 'error' | 'debug'>,
    private readonly options: DeliveryOptions,
  ) {
    this.#guard = new SsrfGuard(options.allowedRanges);
    this.#dispatcher = new Agent({
      connections: options.perOriginConnections,
      pipelining: 1,
      connect: { lookup: this.#guard.lookup },
      // A client option (undici sets it per connection, overriding connect options).
      ...(options.localAddress !== undefined ? { localAddress: options.localAddress } : {}),
    });
  }

  private get db(): Kysely<DB> {
    return this.database.db;
  }

  async start(): Promise<void> {
    this.#running = true;
    this.#unlisten = await this.database.listen(CHANNELS.callbacks, () => this.#wake?.());
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
    await this.#unlisten?.();
    await this.#dispatcher.close();
  }

  async #run(): Promise<void> {
    while (this.#running) {
      let worked = 0;
      try {
        worked = await this.runOnce();
      } catch (error: unknown) {
        this.logger.warn({ err: error }, 'callback delivery round failed; retrying');
      }
      if (worked === 0 && this.#running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.options.pollIntervalMs);
          this.#wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.#wake = undefined;
      }
    }
  }

  /** Claim and send one batch of due deliveries. Returns how many were attempted. */
  async runOnce(): Promise<number> {
    const claimed = await this.#claim();
    if (claimed.length === 0) return 0;
    // Send concurrently, then record the whole batch in one transaction (one commit, not one per callback).
    await this.#recordAll(await Promise.all(claimed.map((d) => this.#deliver(d))));
    return claimed.length;
  }

  async #claim() {
    const now = this.clock.now();
    const lease = new Date(now.getTime() + (this.options.leaseMs ?? 60_000));
    const rows = await sql<ClaimedDelivery>`
      with due as (
        select d.id from callback_deliveries d
        where ((d.status = 'pending' and d.next_attempt_at <= ${now}) or (d.status = 'delivering' and d.locked_until < ${now}))
          and not exists (
            select 1 from callback_deliveries e
            where e.transaction_id = d.transaction_id and e.sequence < d.sequence and e.status in ('pending', 'delivering'))
        order by d.next_attempt_at
        limit ${this.options.batchSize}
        for update skip locked
      )
      update callback_deliveries c set status = 'delivering', locked_until = ${lease}, attempts = c.attempts + 1
      from due, callback_messages m
      where c.id = due.id and m.id = c.message_id
      returning c.*, m.payload, coalesce((select timeout_ms from callback_settings s where s.bp_id = c.bp_id), 5000) as timeout_ms`.execute(this.db);
    return rows.rows;
  }

  async #deliver(d: ClaimedDelivery): Promise<{ d: ClaimedDelivery; a: AttemptResult }> {
    const started = this.clock.now();
    const t0 = performance.now();
    let statusCode: number | null = null;
    let errorClass: ErrorClass | null = null;
    let errorMessage: string | null = null;
    let responseHeaders: Record<string, unknown> | null = null;
    let excerpt: string | null = null;
    let retryAfter: number | null = null;
    let requestHeaders: Record<string, string> | null = null;
    try {
      this.#guard.checkUrl(d.url);
      const secrets = await this.secrets.activeSecrets(d.bp_id);
      const { body, headers } = signCallback({
        payload: d.payload,
        webhookId: d.message_id,
        timestamp: Math.floor(started.getTime() / 1000),
        secrets,
        kind: d.kind,
      });
      requestHeaders = { ...headers, 'user-agent': 'Paygate-Callbacks/1.0' };
      const response = await request(d.url, {
        method: 'POST',
        body,
        headers: requestHeaders,
        dispatcher: this.#dispatcher,
        headersTimeout: d.timeout_ms,
        bodyTimeout: d.timeout_ms,
        signal: AbortSignal.timeout(d.timeout_ms),
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
    return { d, a: { started, durationMs, statusCode, errorClass, errorMessage, requestHeaders, responseHeaders, excerpt, retryAfter } };
  }

  async #recordAll(outcomes: readonly { d: ClaimedDelivery; a: AttemptResult }[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('callback_attempts')
        .values(
          outcomes.map(({ d, a }) => ({
            delivery_id: d.id,
            attempt: d.attempts,
            started_at: a.started,
            duration_ms: a.durationMs,
            status_code: a.statusCode,
            error_class: a.errorClass,
            error_message: a.errorMessage,
            request_headers: a.requestHeaders === null ? null : JSON.stringify(a.requestHeaders),
            response_headers: a.responseHeaders === null ? null : JSON.stringify(a.responseHeaders),
            response_excerpt: a.excerpt,
          })),
        )
        .execute();
      const now = this.clock.now();
      const succeeded = outcomes.filter((o) => o.a.errorClass === null);
      if (succeeded.length > 0) {
        await sql`
          update callback_deliveries c set status = 'succeeded', completed_at = ${now}, locked_until = null, last_status_code = v.code, last_error = null
          from unnest(${succeeded.map((o) => o.d.id)}::text[], ${succeeded.map((o) => o.a.statusCode)}::integer[]) as v (id, code)
          where c.id = v.id`.execute(trx);
      }
      for (const { d, a } of outcomes) if (a.errorClass !== null) await this.#recordFailure(trx, d, a, now);
    });
  }

  async #recordFailure(trx: Kysely<DB>, d: ClaimedDelivery, a: AttemptResult, now: Date): Promise<void> {
    const delay = nextDelayMs(this.options.retryScheduleMs, d.attempts, a.retryAfter);
    const lastError = a.errorClass === 'non_2xx' ? `HTTP ${a.statusCode}` : `${a.errorClass}: ${a.errorMessage ?? ''}`;
    if (delay === null) {
      await trx
        .updateTable('callback_deliveries')
        .set({ status: 'failed', completed_at: now, locked_until: null, last_status_code: a.statusCode, last_error: lastError })
        .where('id', '=', d.id)
        .execute();
      const auditId = await this.audit.record(trx, {
        bpId: d.bp_id,
        actor: { type: 'system', id: null, label: 'Paygate' },
        action: 'callback.failed',
        target: { type: 'callback_message', id: d.message_id },
        details: { kind: d.kind, url: d.url, attempts: d.attempts, lastError },
      });
      await this.audit.notify(trx, {
        bpId: d.bp_id,
        severity: 'critical',
        title: 'Callback delivery failed',
        body: `A ${d.kind} callback (${d.message_id}) to ${d.url} failed after ${d.attempts} attempts (${lastError}). Fix the endpoint, then resend it from Deliveries.`,
        link: '/developers/deliveries',
        auditId,
      });
      return;
    }
    await trx
      .updateTable('callback_deliveries')
      .set({ status: 'pending', next_attempt_at: new Date(now.getTime() + delay), locked_until: null, last_status_code: a.statusCode, last_error: lastError })
      .where('id', '=', d.id)
      .execute();
  }
}

async function readExcerpt(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    if (size < RESPONSE_EXCERPT_BYTES) chunks.push(buffer.subarray(0, RESPONSE_EXCERPT_BYTES - size));
    size += buffer.length;
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Name the failure so a person reading the delivery log knows where to look. */
function classify(error: unknown): [ErrorClass, string] {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code ?? (error as { cause?: { code?: unknown } } | null)?.cause?.code;
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
