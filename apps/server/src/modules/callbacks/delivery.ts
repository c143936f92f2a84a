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
import type { DeliveryMetrics } from './metrics.js';
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

interface Outcome {
  readonly d: ClaimedDelivery;
  /** null: not sent (its lease was about to end while it waited for a slot); it goes back to the queue. */
  readonly a: AttemptResult | null;
}

type ErrorClass = 'timeout' | 'refused' | 'dns' | 'tls' | 'blocked' | 'non_2xx' | 'network';

export interface DeliveryOptions {
  readonly retryScheduleMs: readonly number[];
  /** Most deliveries claimed per query. */
  readonly batchSize: number;
  /**
   * Most deliveries a worker holds at once: claimed, being sent, or waiting to be recorded. The
   * worker claims again whenever room frees up, so database round trips overlap sending.
   * Defaults to twice `batchSize`.
   */
  readonly maxInFlight?: number;
  /**
   * Requests in flight per callback URL. A worker also claims at most {@link QUEUE_PER_SLOT}
   * times this many deliveries per URL, so a slow or hanging endpoint holds a bounded share of
   * the worker and cannot starve other BPs.
   */
  readonly requestsPerUrl: number;
  /** Poll interval when no NOTIFY arrives. */
  readonly pollIntervalMs: number;
  /** Local address to send from (published at /v1/meta/callback-ips), if any. */
  readonly localAddress?: string | undefined;
  /** How long a claim lasts before another worker may take the delivery over (must exceed the longest timeout). */
  readonly leaseMs?: number;
  /** Ranges the SSRF guard lets through besides public unicast (e.g. 127.0.0.0/8 in development). */
  readonly allowedRanges: readonly string[];
  /** Where to count attempts (Prometheus); none in tests that do not look. */
  readonly metrics?: DeliveryMetrics;
}

const RESPONSE_EXCERPT_BYTES = 2048;
/** Outcomes written per transaction at most. */
const RECORD_CHUNK = 500;
/** Deliveries claimed per URL, per concurrent request allowed to it (the rest wait in the worker). */
export const QUEUE_PER_SLOT = 16;
/**
 * A delivery that waited in the worker for a slot so long that its lease would end before its
 * timeout does (or has less than half of it left, with leases shorter than timeouts) is not
 * sent: it goes back to the queue, so waiting never makes a lease run out mid-request.
 */
const LEASE_MARGIN_MS = 1_000;

/**
 * The durable callback delivery worker. Claims due deliveries with FOR UPDATE SKIP LOCKED (so any
 * number of workers share the work without sending one twice), never sends a transaction's
 * callback before its earlier ones finished, signs each attempt (docs/callbacks.md), sends it with
 * undici without following redirects, logs the attempt, and schedules the retry from the schedule
 * (jitter; Retry-After honoured, capped). A claim is a lease: if a worker dies mid-send, the lease
 * expires and another worker resends the same message with the same webhook-id.
 *
 * Work flows rather than moving in lock-step batches: each delivery is recorded as soon as it
 * finishes (outcomes that finish while a write is running are written together in the next
 * one), and the worker claims more whenever it has room — so one endpoint that hangs until its
 * timeout delays only its own callbacks.
 */
export class CallbackDeliveryWorker {
  readonly #dispatcher: Dispatcher;
  readonly #guard: SsrfGuard;
  readonly #maxInFlight: number;
  readonly #leaseMs: number;
  #running = false;
  #stopping = false;
  #stopped: Promise<void> | undefined;
  #loop: Promise<void> | undefined;
  readonly #sleepers = new Set<() => void>();
  #unlisten: (() => Promise<void>) | undefined;
  /** Deliveries claimed and not yet recorded. */
  #inFlight = 0;
  /** Deliveries claimed and not yet sent or released, per callback URL (bounds the claim). */
  readonly #held = new Map<string, number>();
  /** Send slots per callback URL: `active` requests in flight, the rest wait their turn. */
  readonly #slots = new Map<string, { active: number; waiting: (() => void)[] }>();
  readonly #sends = new Set<Promise<void>>();
  #unrecorded: Outcome[] = [];
  #recording: Promise<void> | undefined;

  constructor(
    private readonly database: Database,
    private readonly secrets: ApiSecretsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly logger: Pick<Logger, 'warn' | 'error' | 'debug'>,
    private readonly options: DeliveryOptions,
  ) {
    this.#guard = new SsrfGuard(options.allowedRanges);
    this.#leaseMs = options.leaseMs ?? 60_000;
    this.#maxInFlight = Math.max(options.batchSize, options.maxInFlight ?? 2 * options.batchSize);
    this.#dispatcher = new Agent({
      // No per-origin limit here: the worker's per-URL slots bound the requests, and a request
      // waiting inside undici would have its timeout running before it was even sent.
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
    this.#unlisten = await this.database.listen(CHANNELS.callbacks, () => this.#wake());
    this.#loop = this.#run();
  }

  /** Stop claiming, let the deliveries in flight finish and be recorded, then close. Idempotent. */
  stop(): Promise<void> {
    this.#stopped ??= this.#stop();
    return this.#stopped;
  }

  async #stop(): Promise<void> {
    this.#running = false;
    this.#stopping = true;
    this.#wake();
    await this.#loop;
    // Deliveries still waiting for a slot are not sent: they go back to the queue for the next
    // worker at once, so shutting down never waits on a slow endpoint's backlog.
    for (const slot of this.#slots.values()) {
      const waiting = slot.waiting.splice(0);
      slot.active += waiting.length;
      for (const resolve of waiting) resolve();
    }
    await this.#settle();
    await this.#unlisten?.();
    await this.#dispatcher.close();
  }

  /**
   * Claim one batch of due deliveries, send them, and wait until they are recorded. Returns how
   * many were claimed. For tests and tools that step the worker by hand; `start()` runs the loop.
   */
  async runOnce(): Promise<number> {
    const claimed = await this.#claim(this.options.batchSize);
    if (claimed.length > 0) this.#send(claimed);
    await this.#settle();
    return claimed.length;
  }

  #wake(): void {
    for (const wake of this.#sleepers) wake();
  }

  /** Sleep until the poll interval passes, a NOTIFY arrives, room frees up, or the worker stops. */
  #sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#sleepers.add(wake);
    });
  }

  async #run(): Promise<void> {
    const { batchSize, pollIntervalMs } = this.options;
    while (this.#running) {
      const room = this.#maxInFlight - this.#inFlight;
      // Wait for a useful amount of room rather than claiming a handful at a time.
      if (room < Math.ceil(batchSize / 2)) {
        await this.#sleep(pollIntervalMs);
        continue;
      }
      const limit = Math.min(room, batchSize);
      let claimed: ClaimedDelivery[] = [];
      try {
        claimed = await this.#claim(limit);
      } catch (error: unknown) {
        this.logger.warn({ err: error }, 'could not claim callback deliveries; retrying');
        await this.#sleep(pollIntervalMs);
        continue;
      }
      if (claimed.length > 0) this.#send(claimed);
      // A short claim means nothing else is due (or only for URLs at their cap): wait for a
      // NOTIFY, a recorded outcome (it may unblock a transaction's next callback), or the poll.
      if (claimed.length < limit && this.#running) await this.#sleep(pollIntervalMs);
    }
  }

  /** Wait until nothing is being sent or waiting to be recorded. */
  async #settle(): Promise<void> {
    while (this.#sends.size > 0 || this.#recording !== undefined) {
      await Promise.all([...this.#sends]);
      await this.#recording;
    }
  }

  async #claim(limit: number): Promise<ClaimedDelivery[]> {
    const now = this.clock.now();
    const lease = new Date(now.getTime() + this.#leaseMs);
    const cap = this.options.requestsPerUrl * QUEUE_PER_SLOT;
    const busy = [...this.#held.entries()];
    const full = busy.filter(([, n]) => n >= cap).map(([url]) => url);
    // A claimed delivery's next_attempt_at is its lease's end: the due index then holds only work
    // that is due or whose worker died, instead of every delivery in flight ahead of it.
    // Due, not behind an unfinished earlier callback of the same transaction, not for a URL whose
    // share is taken; then at most the share per URL, counting those this worker already holds.
    const rows = await sql<ClaimedDelivery>`
      with due as (
        select d.id, d.url, d.next_attempt_at from callback_deliveries d
        where d.status in ('pending', 'delivering') and d.next_attempt_at <= ${now} and (d.status = 'pending' or d.locked_until < ${now})
          and d.url <> all(${full}::text[])
          and not exists (
            select 1 from callback_deliveries e
            where e.transaction_id = d.transaction_id and e.sequence < d.sequence and e.status in ('pending', 'delivering'))
        order by d.next_attempt_at
        limit ${limit}
        for update skip locked
      ), chosen as (
        select r.id from (select id, url, row_number() over (partition by url order by next_attempt_at, id) as n from due) r
        left join unnest(${busy.map(([url]) => url)}::text[], ${busy.map(([, n]) => n)}::integer[]) as b (url, held) on b.url = r.url
        where r.n + coalesce(b.held, 0) <= ${cap}
      )
      update callback_deliveries c set status = 'delivering', locked_until = ${lease}, next_attempt_at = ${lease}, attempts = c.attempts + 1
      from chosen, callback_messages m
      where c.id = chosen.id and m.id = c.message_id
      returning c.*, m.payload, coalesce((select timeout_ms from callback_settings s where s.bp_id = c.bp_id), 5000) as timeout_ms`.execute(this.db);
    return rows.rows;
  }

  /** Send claimed deliveries in the background; each outcome is queued for recording as it comes. */
  #send(claimed: readonly ClaimedDelivery[]): void {
    this.#adjustInFlight(claimed.length);
    for (const d of claimed) this.#held.set(d.url, (this.#held.get(d.url) ?? 0) + 1);
    const task = (async () => {
      let secrets: Map<string, string[]>;
      try {
        // One secrets query per batch; a rotation takes effect from the next batch.
        secrets = await this.secrets.activeSecretsOf(claimed.map((d) => d.bp_id));
      } catch (error: unknown) {
        // Nothing was sent; the leases expire and the deliveries are claimed again then.
        this.logger.warn({ err: error, deliveries: claimed.length }, 'could not load API secrets; callbacks will be retried when their lease expires');
        for (const d of claimed) this.#unhold(d.url);
        this.#adjustInFlight(-claimed.length);
        return;
      }
      await Promise.all(
        claimed.map(async (d) => {
          const waited = await this.#acquireSlot(d.url);
          try {
            const leaseLeft = (d.locked_until?.getTime() ?? 0) - this.clock.now().getTime();
            const expiring = waited && leaseLeft < Math.min(d.timeout_ms + LEASE_MARGIN_MS, this.#leaseMs / 2);
            const outcome: Outcome = expiring || this.#stopping ? { d, a: null } : await this.#deliver(d, secrets.get(d.bp_id) ?? []);
            this.#record(outcome);
          } finally {
            this.#releaseSlot(d.url);
            this.#unhold(d.url);
          }
        }),
      );
    })();
    this.#sends.add(task);
    void task.finally(() => this.#sends.delete(task));
  }

  #adjustInFlight(delta: number): void {
    this.#inFlight += delta;
    this.options.metrics?.held.set(this.#inFlight);
  }

  /** Take a send slot for `url`; resolves true if it had to wait for one. */
  async #acquireSlot(url: string): Promise<boolean> {
    let slot = this.#slots.get(url);
    if (slot === undefined) {
      slot = { active: 0, waiting: [] };
      this.#slots.set(url, slot);
    }
    if (slot.active < this.options.requestsPerUrl) {
      slot.active++;
      return false;
    }
    const queued = slot;
    // The releasing request hands its slot over directly (active stays the same).
    await new Promise<void>((resolve) => queued.waiting.push(resolve));
    return true;
  }

  #releaseSlot(url: string): void {
    const slot = this.#slots.get(url);
    if (slot === undefined) return;
    const next = slot.waiting.shift();
    if (next !== undefined) next();
    else if (--slot.active === 0) this.#slots.delete(url);
  }

  #unhold(url: string): void {
    const n = (this.#held.get(url) ?? 1) - 1;
    if (n <= 0) this.#held.delete(url);
    else this.#held.set(url, n);
    // A URL whose share was taken has room again: its other due deliveries can be claimed now.
    if (n + 1 >= this.options.requestsPerUrl * QUEUE_PER_SLOT) this.#wake();
  }

  #record(outcome: Outcome): void {
    this.#unrecorded.push(outcome);
    this.#recording ??= this.#recordQueued().finally(() => {
      this.#recording = undefined;
    });
  }

  /** Write queued outcomes until none are left; those arriving meanwhile go into the next write. */
  async #recordQueued(): Promise<void> {
    while (this.#unrecorded.length > 0) {
      const chunk = this.#unrecorded.splice(0, RECORD_CHUNK);
      try {
        await this.#recordWithRetry(chunk);
      } catch (error: unknown) {
        this.logger.error(
          { err: error, deliveries: chunk.length },
          'could not record callback attempts; they will be sent again (same webhook-id) when their lease expires',
        );
      } finally {
        this.#adjustInFlight(-chunk.length);
        // Room freed, and a recorded outcome may have unblocked a transaction's next callback.
        this.#wake();
      }
    }
  }

  /**
   * The callbacks are sent; if the database is unreachable now (restart, failover), keep the
   * outcomes and retry rather than drop them: otherwise every one of them would be sent again
   * once its lease expired. Gives up when the lease is over — another worker may own them then.
   */
  async #recordWithRetry(outcomes: readonly Outcome[]): Promise<void> {
    const giveUpAt = performance.now() + this.#leaseMs;
    for (let delay = 100; ; delay = Math.min(delay * 2, 2_000)) {
      try {
        await this.#recordAll(outcomes);
        return;
      } catch (error: unknown) {
        if (performance.now() + delay >= giveUpAt) throw error;
        this.logger.warn({ err: error, deliveries: outcomes.length }, 'could not record callback attempts; retrying');
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  async #deliver(d: ClaimedDelivery, secrets: readonly string[]): Promise<Outcome> {
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
    const elapsedMs = performance.now() - t0;
    const durationMs = Math.round(elapsedMs);
    const result = errorClass ?? 'success';
    this.options.metrics?.attempts.inc({ result });
    this.options.metrics?.attemptDuration.observe({ result }, elapsedMs / 1000);
    return { d, a: { started, durationMs, statusCode, errorClass, errorMessage, requestHeaders, responseHeaders, excerpt, retryAfter } };
  }

  async #recordAll(outcomes: readonly Outcome[]): Promise<void> {
    const attempted = outcomes.flatMap(({ d, a }) => (a === null ? [] : [{ d, a }]));
    const released = outcomes.filter((o) => o.a === null).map((o) => o.d);
    const now = this.clock.now();
    const succeeded = attempted.filter((o) => o.a.errorClass === null);
    const retries: { d: ClaimedDelivery; a: AttemptResult; at: Date; lastError: string }[] = [];
    const exhausted: { d: ClaimedDelivery; a: AttemptResult; lastError: string }[] = [];
    for (const { d, a } of attempted) {
      if (a.errorClass === null) continue;
      const lastError = a.errorClass === 'non_2xx' ? `HTTP ${a.statusCode}` : `${a.errorClass}: ${a.errorMessage ?? ''}`;
      const delay = nextDelayMs(this.options.retryScheduleMs, d.attempts, a.retryAfter);
      if (delay === null) exhausted.push({ d, a, lastError });
      else retries.push({ d, a, at: new Date(now.getTime() + delay), lastError });
    }
    await this.db.transaction().execute(async (trx) => {
      if (attempted.length > 0) {
        await trx
          .insertInto('callback_attempts')
          .values(
            attempted.map(({ d, a }) => ({
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
      }
      // In every update below `attempts` is the claim's fencing token: if the lease ran out and
      // another worker claimed the delivery again, this (late) outcome must not overwrite its state.
      if (succeeded.length > 0) {
        await sql`
          update callback_deliveries c set status = 'succeeded', completed_at = ${now}, locked_until = null, last_status_code = v.code, last_error = null
          from unnest(${succeeded.map((o) => o.d.id)}::text[], ${succeeded.map((o) => o.a.statusCode)}::integer[], ${succeeded.map((o) => o.d.attempts)}::integer[]) as v (id, code, attempt)
          where c.id = v.id and c.status = 'delivering' and c.attempts = v.attempt`.execute(trx);
      }
      if (retries.length > 0) {
        await sql`
          update callback_deliveries c set status = 'pending', next_attempt_at = v.at, locked_until = null, last_status_code = v.code, last_error = v.error
          from unnest(
            ${retries.map((r) => r.d.id)}::text[], ${retries.map((r) => r.d.attempts)}::integer[], ${retries.map((r) => r.at)}::timestamptz[],
            ${retries.map((r) => r.a.statusCode)}::integer[], ${retries.map((r) => r.lastError)}::text[]) as v (id, attempt, at, code, error)
          where c.id = v.id and c.status = 'delivering' and c.attempts = v.attempt`.execute(trx);
      }
      if (released.length > 0) {
        // Never sent: back to the queue as it was, the claim's attempt not counted.
        await sql`
          update callback_deliveries c set status = 'pending', locked_until = null, next_attempt_at = ${now}, attempts = c.attempts - 1
          from unnest(${released.map((d) => d.id)}::text[], ${released.map((d) => d.attempts)}::integer[]) as v (id, attempt)
          where c.id = v.id and c.status = 'delivering' and c.attempts = v.attempt`.execute(trx);
      }
      for (const e of exhausted) await this.#recordExhausted(trx, e.d, e.a, e.lastError, now);
    });
  }

  /** The schedule is spent: mark the delivery failed and tell the team, in the same transaction. */
  async #recordExhausted(trx: Kysely<DB>, d: ClaimedDelivery, a: AttemptResult, lastError: string, now: Date): Promise<void> {
    const updated = await trx
      .updateTable('callback_deliveries')
      .set({ status: 'failed', completed_at: now, locked_until: null, last_status_code: a.statusCode, last_error: lastError })
      .where('id', '=', d.id)
      .where('status', '=', 'delivering')
      .where('attempts', '=', d.attempts)
      .executeTakeFirst();
    if (updated.numUpdatedRows === 0n) return;
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
