import { sql } from 'kysely';
import type { Logger } from 'pino';
import { Agent, type Dispatcher } from 'undici';
import { CHANNELS } from '../../db/channels.js';
import type { Database } from '../../db/database.js';
import type { Clock } from '../../lib/clock.js';
import type { AuditService } from '../audit/service.js';
import type { ApiSecretsService } from './api-secrets.js';
import { sendAttempt } from './attempt.js';
import type { DeliveryMetrics } from './metrics.js';
import { type ClaimedDelivery, type Outcome, OutcomeRecorder } from './outcome-recorder.js';
import { SigningSecrets } from './signing-secrets.js';
import { SsrfGuard } from './ssrf-guard.js';
import { UrlShares } from './url-shares.js';
import { UrlSlots } from './url-slots.js';

export interface DeliveryOptions {
  readonly retryScheduleMs: readonly number[];
  /** Most deliveries claimed per query. */
  readonly batchSize: number;
  /**
   * Most deliveries a worker holds at once: claimed, being sent, or waiting to be recorded. The
   * worker claims again whenever room frees up, so database round trips overlap sending.
   * Defaults to twice `batchSize`; never less than `batchSize`.
   */
  readonly maxInFlight?: number;
  /**
   * Requests in flight per callback URL. A worker also holds only about a second's worth of one
   * URL's deliveries (see {@link UrlShares}), so a slow or hanging endpoint occupies a small
   * share of the worker and cannot starve other BPs.
   */
  readonly requestsPerUrl: number;
  /** Poll interval when no NOTIFY arrives. */
  readonly pollIntervalMs: number;
  /** Local address to send from (published at /v1/meta/callback-ips), if any. */
  readonly localAddress?: string | undefined;
  /**
   * How long a claim lasts before another worker may take the delivery over. Each claim lasts at
   * least twice the BP's timeout plus {@link LEASE_ALLOWANCE_MS}, whatever this says.
   */
  readonly leaseMs?: number;
  /** Ranges the SSRF guard lets through besides public unicast (e.g. 127.0.0.0/8 in development). */
  readonly allowedRanges: readonly string[];
  /** Where to count attempts (Prometheus); none in tests that do not look. */
  readonly metrics?: DeliveryMetrics;
}

/**
 * Every lease lasts at least twice the BP's timeout plus this much: one request's time to wait
 * for a slot behind another, one to send, and time to read the secrets and record the outcome.
 */
export const LEASE_ALLOWANCE_MS = 10_000;
/** A delivery is sent only with at least its timeout plus this much of its lease left (else it goes back unsent). */
const SEND_ALLOWANCE_MS = 5_000;
/** Outcomes written per transaction at most. */
const RECORD_CHUNK = 500;
/** A claimed batch's secrets are re-read for a BP at signing time when older than this. */
const SECRETS_MAX_AGE_MS = 1_000;

/**
 * The durable callback delivery worker. Claims due deliveries with FOR UPDATE SKIP LOCKED (so any
 * number of workers share the work without sending one twice), never sends a transaction's
 * callback before its earlier ones finished, signs each attempt (docs/callbacks.md), sends it with
 * undici without following redirects, logs the attempt, and schedules the retry from the schedule
 * (jitter; Retry-After honoured, capped). A claim is a lease: if a worker dies mid-send, the lease
 * ends and another worker resends the same message with the same webhook-id.
 *
 * Work flows rather than moving in lock-step batches: each outcome is recorded as soon as it is
 * known ({@link OutcomeRecorder}), and the worker claims more whenever it has room — so one
 * endpoint that hangs until its timeout delays only its own callbacks.
 */
export class CallbackDeliveryWorker {
  readonly #dispatcher: Dispatcher;
  readonly #guard: SsrfGuard;
  readonly #slots: UrlSlots;
  readonly #shares: UrlShares;
  readonly #secrets: SigningSecrets;
  readonly #recorder: OutcomeRecorder;
  readonly #maxInFlight: number;
  readonly #leaseMs: number;
  #running = false;
  #stopping = false;
  #stopped: Promise<void> | undefined;
  #loop: Promise<void> | undefined;
  readonly #sleepers = new Set<() => void>();
  /** A wake-up that came while the loop was not asleep (e.g. mid-claim); the next sleep returns at once. */
  #wakeRequested = false;
  /** The loop sleeps because the worker holds all it may: recorded outcomes should wake it. */
  #awaitingRoom = false;
  /** performance.now() before which a claim that skips URLs at their share is not retried (the last found nothing). */
  #fruitlessSkipUntil = 0;
  #unlisten: (() => Promise<void>) | undefined;
  /** Deliveries claimed and not yet recorded, with their lease end (ms). */
  readonly #held = new Map<string, number>();
  /** Deliveries held per callback URL, until sent or put back (bounds the claim per URL). */
  readonly #heldPerUrl = new Map<string, number>();
  readonly #sends = new Set<Promise<void>>();

  constructor(
    private readonly database: Database,
    secrets: ApiSecretsService,
    audit: AuditService,
    private readonly clock: Clock,
    private readonly logger: Pick<Logger, 'warn' | 'error' | 'debug'>,
    private readonly options: DeliveryOptions,
  ) {
    this.#guard = new SsrfGuard(options.allowedRanges);
    this.#slots = new UrlSlots(options.requestsPerUrl);
    this.#secrets = new SigningSecrets(secrets, SECRETS_MAX_AGE_MS);
    this.#leaseMs = options.leaseMs ?? 60_000;
    this.#maxInFlight = Math.max(options.batchSize, options.maxInFlight ?? 2 * options.batchSize);
    this.#shares = new UrlShares(options.requestsPerUrl, this.#maxInFlight);
    this.#dispatcher = new Agent({
      // No per-origin limit here: the per-URL slots bound the requests, and a request waiting
      // inside undici would have its timeout running before it was even sent.
      pipelining: 1,
      connect: { lookup: this.#guard.lookup },
      // A client option (undici sets it per connection, overriding connect options).
      ...(options.localAddress !== undefined ? { localAddress: options.localAddress } : {}),
    });
    this.#recorder = new OutcomeRecorder(database.db, audit, clock, logger, {
      retryScheduleMs: options.retryScheduleMs,
      chunk: RECORD_CHUNK,
      stopping: () => this.#stopping,
      onWritten: (outcomes, failed) => {
        for (const { d } of outcomes) this.#unholdIfSame(d);
        // Outcomes the database refused for good: this worker keeps them until their lease ends
        // (then, as after a crash, they are due again) rather than resend them at once.
        for (const { d } of failed) {
          const timer = setTimeout(() => this.#unholdIfSame(d), Math.max(0, (d.locked_until?.getTime() ?? 0) - this.clock.now().getTime()));
          timer.unref();
        }
        this.options.metrics?.held.set(this.#held.size);
        // Wake the loop only when this write can have made something claimable: room it was
        // waiting for, a transaction's next callback, or a delivery put back. A wake for nothing
        // costs a claim that scans past every due delivery of URLs at their share.
        const unblocks = outcomes.some((o) => o.d.transaction_id !== null || o.a === null);
        if (unblocks || this.#awaitingRoom) this.#wake();
      },
    });
  }

  async start(): Promise<void> {
    this.#running = true;
    // After a gap in notifications (the listening connection was lost), look for work at once.
    this.#unlisten = await this.database.listen(
      CHANNELS.callbacks,
      () => this.#wake(),
      () => this.#wake(),
    );
    this.#loop = this.#run();
  }

  /** Stop claiming, let the requests already sent finish and be recorded, put back the rest, close. Idempotent. */
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
    this.#slots.releaseAllWaiting();
    await this.#settle();
    await this.#unlisten?.();
    await this.#dispatcher.close();
  }

  /**
   * Claim one batch of due deliveries, send them, and wait until they are recorded. Returns how
   * many were claimed. For tests and tools that step the worker by hand; `start()` runs the loop.
   */
  async runOnce(): Promise<number> {
    const { claimed } = await this.#claim(this.options.batchSize);
    if (claimed.length > 0) this.#send(claimed);
    await this.#settle();
    return claimed.length;
  }

  #wake(): void {
    this.#wakeRequested = true;
    for (const wake of this.#sleepers) wake();
  }

  /** Sleep until the poll interval passes, a NOTIFY arrives, room frees up, or the worker stops. */
  #sleep(ms: number): Promise<void> {
    if (this.#wakeRequested) {
      this.#wakeRequested = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#sleepers.delete(wake);
        this.#wakeRequested = false;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#sleepers.add(wake);
    });
  }

  async #run(): Promise<void> {
    const { batchSize, pollIntervalMs } = this.options;
    while (this.#running) {
      const room = this.#maxInFlight - this.#held.size;
      // Wait for a useful amount of room rather than claiming a handful at a time.
      if (room < Math.ceil(batchSize / 2)) {
        this.#awaitingRoom = true;
        await this.#sleep(pollIntervalMs);
        this.#awaitingRoom = false;
        continue;
      }
      // A claim that must skip URLs at their share scans past all their due deliveries: after one
      // found nothing, the next waits for the poll interval (or for those URLs to have room).
      const quietFor = this.#fruitlessSkipUntil - performance.now();
      if (quietFor > 0 && this.#someUrlAtShare()) {
        await this.#sleep(quietFor);
        continue;
      }
      // Wake-ups from here on may concern rows this claim's snapshot cannot see: keep them.
      this.#wakeRequested = false;
      let claimed: ClaimedDelivery[] = [];
      let more = false;
      try {
        let skipping = false;
        ({ claimed, more, skipping } = await this.#claim(Math.min(room, batchSize)));
        if (skipping) this.#fruitlessSkipUntil = claimed.length === 0 ? performance.now() + pollIntervalMs : 0;
      } catch (error: unknown) {
        this.logger.warn({ err: error }, 'could not claim callback deliveries; retrying');
        if (this.#running) await this.#sleep(pollIntervalMs);
        continue;
      }
      if (claimed.length > 0) this.#send(claimed);
      // Claim again at once while the claim's window was full (the per-URL share may have left
      // claimable rows behind it). Otherwise wait for a NOTIFY, a recorded outcome that unblocks
      // something, a URL with room again, or the poll.
      if (!more && this.#running) await this.#sleep(pollIntervalMs);
    }
  }

  #atShare(url: string, held: number): boolean {
    // A URL is skipped until half its share is free: topping it up one delivery at a time would
    // cost a claim per callback.
    return held > this.#shares.of(url) / 2;
  }

  #someUrlAtShare(): boolean {
    for (const [url, held] of this.#heldPerUrl) if (this.#atShare(url, held)) return true;
    return false;
  }

  /** Wait until nothing is being sent or waiting to be recorded. */
  async #settle(): Promise<void> {
    while (this.#sends.size > 0) await Promise.all([...this.#sends]);
    await this.#recorder.idle();
  }

  async #claim(limit: number): Promise<{ claimed: ClaimedDelivery[]; skipping: boolean; more: boolean }> {
    const now = this.clock.now();
    const perUrl = [...this.#heldPerUrl.entries()].map(([url, held]) => ({ url, held, share: this.#shares.of(url) }));
    const full = perUrl.filter((u) => this.#atShare(u.url, u.held)).map((u) => u.url);
    // Deliveries this worker still holds whose lease has ended (their outcome is waiting for the
    // database): this worker must not send them again. Normally none.
    const expired = [...this.#held.entries()].filter(([, end]) => end <= now.getTime()).map(([id]) => id);
    // A claimed delivery's next_attempt_at is its lease's end: the due index then holds only work
    // that is due or whose worker died, instead of every delivery in flight ahead of it.
    // Due; not behind an unfinished earlier callback of the same transaction; not for a URL whose
    // share is taken; then at most the share per URL, counting those this worker already holds.
    // The lease lasts at least twice the BP's timeout plus LEASE_ALLOWANCE_MS.
    const rows = await sql<ClaimedDelivery & { scanned: string }>`
      with due as (
        select d.id, d.url, d.next_attempt_at, d.message_id, d.bp_id from callback_deliveries d
        where d.status in ('pending', 'delivering') and d.next_attempt_at <= ${now} and (d.status = 'pending' or d.locked_until < ${now})
          and d.url <> all(${full}::text[])
          and d.id <> all(${expired}::text[])
          and not exists (
            select 1 from callback_deliveries e
            where e.transaction_id = d.transaction_id and e.sequence < d.sequence and e.status in ('pending', 'delivering'))
        order by d.next_attempt_at
        limit ${limit}
        for update skip locked
      ), scanned as (
        select count(*) as n from due
      ), chosen as (
        select r.id, r.message_id, r.bp_id
        from (select due.*, row_number() over (partition by url order by next_attempt_at, id) as n from due) r
        left join unnest(${perUrl.map((u) => u.url)}::text[], ${perUrl.map((u) => u.held)}::integer[], ${perUrl.map((u) => u.share)}::integer[])
          as h (url, held, share) on h.url = r.url
        where r.n + coalesce(h.held, 0) <= coalesce(h.share, ${this.#shares.initial})
      ), v as (
        select chosen.id, m.payload, coalesce(s.timeout_ms, 5000) as timeout_ms,
          ${now}::timestamptz + greatest(${this.#leaseMs}::integer, 2 * coalesce(s.timeout_ms, 5000) + ${LEASE_ALLOWANCE_MS}::integer) * interval '1 millisecond' as lease
        from chosen
        join callback_messages m on m.id = chosen.message_id
        left join callback_settings s on s.bp_id = chosen.bp_id
      )
      update callback_deliveries c set status = 'delivering', locked_until = v.lease, next_attempt_at = v.lease, attempts = c.attempts + 1
      from v
      where c.id = v.id
      returning c.*, v.payload, v.timeout_ms, (select n from scanned) as scanned`.execute(this.database.db);
    // The window was full: more may be due behind it — in particular other URLs' deliveries behind
    // rows the per-URL share left out (their URLs are at their share now; the next claim skips them).
    const more = rows.rows.some((r) => Number(r.scanned) >= limit);
    return { claimed: rows.rows, skipping: full.length > 0, more };
  }

  /** Send claimed deliveries in the background; each outcome goes to the recorder as it comes. */
  #send(claimed: readonly ClaimedDelivery[]): void {
    for (const d of claimed) {
      this.#held.set(d.id, d.locked_until?.getTime() ?? 0);
      this.#heldPerUrl.set(d.url, (this.#heldPerUrl.get(d.url) ?? 0) + 1);
    }
    this.options.metrics?.held.set(this.#held.size);
    const task = (async () => {
      let loaded = true;
      try {
        await this.#secrets.load(claimed.map((d) => d.bp_id));
      } catch (error: unknown) {
        this.logger.warn({ err: error, deliveries: claimed.length }, 'could not read API secrets; putting the claimed callbacks back');
        loaded = false;
      }
      await Promise.all(claimed.map((d) => (loaded ? this.#sendOne(d) : this.#putBack(d))));
    })();
    this.#sends.add(task);
    void task.finally(() => this.#sends.delete(task));
  }

  async #sendOne(d: ClaimedDelivery): Promise<void> {
    await this.#slots.acquire(d.url);
    try {
      let secrets: readonly string[] = [];
      let readable = !this.#stopping;
      try {
        if (readable) secrets = await this.#secrets.get(d.bp_id);
      } catch (_error: unknown) {
        readable = false;
      }
      // Checked last, right before sending: with less left the lease could end mid-request or
      // before the outcome is recorded — and another worker resend it.
      const leaseLeft = (d.locked_until?.getTime() ?? 0) - this.clock.now().getTime();
      if (!readable || this.#stopping || leaseLeft < d.timeout_ms + SEND_ALLOWANCE_MS) {
        this.#recorder.add({ d, a: null });
        return;
      }
      const a = await sendAttempt(
        { url: d.url, payload: d.payload, webhookId: d.message_id, kind: d.kind, timeoutMs: d.timeout_ms, secrets },
        { dispatcher: this.#dispatcher, guard: this.#guard, clock: this.clock },
      );
      this.#shares.observe(d.url, a.durationMs);
      const result = a.errorClass ?? 'success';
      this.options.metrics?.attempts.inc({ result });
      this.options.metrics?.attemptDuration.observe({ result }, a.durationMs / 1000);
      this.#recorder.add({ d, a });
    } finally {
      this.#slots.release(d.url);
      this.#unholdUrl(d.url);
    }
  }

  #putBack(d: ClaimedDelivery): void {
    this.#recorder.add({ d, a: null } satisfies Outcome);
    this.#unholdUrl(d.url);
  }

  /** Forget a held delivery — unless it has since been claimed again (a newer lease). */
  #unholdIfSame(d: ClaimedDelivery): void {
    if (this.#held.get(d.id) === (d.locked_until?.getTime() ?? 0)) this.#held.delete(d.id);
  }

  #unholdUrl(url: string): void {
    const n = (this.#heldPerUrl.get(url) ?? 1) - 1;
    if (n <= 0) this.#heldPerUrl.delete(url);
    else this.#heldPerUrl.set(url, n);
    // A URL that was skipped has half its share free again: its other due deliveries can be claimed now.
    if (n === Math.floor(this.#shares.of(url) / 2)) this.#wake();
  }
}
