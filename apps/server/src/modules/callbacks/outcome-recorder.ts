import { type Kysely, type Selectable, sql } from 'kysely';
import type { Logger } from 'pino';
import type { CallbackDeliveriesTable, DB } from '../../db/schema.js';
import { isDatabaseUnavailable } from '../../db/unavailable.js';
import type { Clock } from '../../lib/clock.js';
import type { AuditService } from '../audit/service.js';
import type { AttemptResult } from './attempt.js';
import { nextDelayMs } from './retry-schedule.js';

/** Deadlock, serialization failure, lock or statement timeout: worth a few retries as they are. */
const TRANSIENT_SQLSTATE = new Set(['40P01', '40001', '55P03', '57014']);
const MAX_TRANSIENT_RETRIES = 5;
/** The writer waits LINGER_MS for more outcomes when fewer than LINGER_BELOW are queued. */
const LINGER_MS = 5;
const LINGER_BELOW = 50;

function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && TRANSIENT_SQLSTATE.has(code);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A delivery as a worker's claim returns it (its lease is `locked_until`). */
export type ClaimedDelivery = Selectable<CallbackDeliveriesTable> & { payload: unknown; timeout_ms: number };

export interface Outcome {
  readonly d: ClaimedDelivery;
  /** null: not sent (the worker is stopping, or too little of the lease was left); it goes back to the queue unattempted. */
  readonly a: AttemptResult | null;
}

export interface OutcomeRecorderOptions {
  readonly retryScheduleMs: readonly number[];
  /** Outcomes written per transaction at most. */
  readonly chunk: number;
  /** Called after each write with the outcomes it recorded, and those the database refused for good. */
  readonly onWritten: (written: readonly Outcome[], failed: readonly Outcome[]) => void;
  /** True once the worker is stopping: then an unreachable database is waited for only until the leases end. */
  readonly stopping: () => boolean;
}

/**
 * Writes delivery outcomes as they come: whatever is queued goes into one transaction (attempt
 * rows, successes, rescheduled retries, exhausted deliveries with their audit entry and the
 * team's notification), and outcomes arriving meanwhile go into the next one.
 *
 * Every update is fenced by the claim (`attempts` and the lease `locked_until`): if a lease ran
 * out and the delivery was claimed again — or resent by hand — a late outcome changes nothing.
 * While the database is unreachable the recorder keeps the outcomes and retries (100 ms doubling
 * to 2 s) rather than let every sent callback go out again; transient failures (deadlock, lock
 * timeout…) are retried a few times; a statement the database refuses for another reason is split
 * until the one offending outcome is found, which is then recorded without the endpoint's
 * free-form answer — and if even that fails, reported as failed while the rest are written.
 */
export class OutcomeRecorder {
  #queue: Outcome[] = [];
  #writing: Promise<void> | undefined;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly logger: Pick<Logger, 'warn' | 'error'>,
    private readonly options: OutcomeRecorderOptions,
  ) {}

  add(outcome: Outcome): void {
    this.#queue.push(outcome);
    this.#writing ??= this.#drain();
  }

  /** Resolves once nothing is queued or being written. */
  async idle(): Promise<void> {
    while (this.#writing !== undefined) await this.#writing;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        // A moment's wait when little is queued: under load it turns many small transactions
        // into a few larger ones; when idle it delays only the bookkeeping, never a callback.
        if (this.#queue.length < LINGER_BELOW) await sleep(LINGER_MS);
        const chunk = this.#queue.splice(0, this.options.chunk);
        const failed: Outcome[] = [];
        await this.#write(chunk, failed);
        this.options.onWritten(
          chunk.filter((o) => !failed.includes(o)),
          failed,
        );
      }
    } finally {
      // Synchronously after the last emptiness check: an add() from here on starts a new drain.
      this.#writing = undefined;
    }
  }

  /**
   * Write `outcomes`, whatever it takes: retry while the database is unreachable or the failure is
   * transient; split a batch the database refuses until the refused outcome is alone, record that
   * one without the endpoint's free-form answer, and if even that is refused, report it in
   * `failed` (its lease will end and it will be sent again, as after a crash).
   */
  async #write(outcomes: readonly Outcome[], failed: Outcome[]): Promise<void> {
    const leaseEnd = Math.min(...outcomes.map((o) => o.d.locked_until?.getTime() ?? 0));
    let batch = outcomes;
    let stripped = false;
    let transientRetries = 0;
    for (let delay = 100; ; delay = Math.min(delay * 2, 2_000)) {
      try {
        await this.#writeOnce(batch);
        return;
      } catch (error: unknown) {
        if (isDatabaseUnavailable(error)) {
          // A late write is harmless (fenced), and until then this worker does not resend them.
          if (!(this.options.stopping() && this.clock.now().getTime() >= leaseEnd)) {
            this.logger.warn({ err: error, deliveries: batch.length }, 'database unreachable; retrying to record callback attempts');
            await sleep(delay);
            continue;
          }
        } else if (isTransient(error) && transientRetries < MAX_TRANSIENT_RETRIES) {
          transientRetries++;
          await sleep(delay);
          continue;
        } else if (batch.length > 1) {
          const half = Math.ceil(batch.length / 2);
          await this.#write(batch.slice(0, half), failed);
          await this.#write(batch.slice(half), failed);
          return;
        } else {
          const [only] = batch;
          if (only !== undefined && only.a !== null && !stripped) {
            this.logger.warn({ err: error, delivery: only.d.id }, 'attempt refused by the database; recording it without the response details');
            batch = [{ d: only.d, a: { ...only.a, responseHeaders: null, excerpt: null, errorMessage: only.a.errorMessage?.slice(0, 200) ?? null } }];
            stripped = true;
            continue;
          }
        }
        this.logger.error(
          { err: error, deliveries: batch.map((o) => o.d.id) },
          'could not record callback outcomes; they will be sent again (same webhook-id) when their lease ends',
        );
        // The original outcomes (not the stripped copy): the caller matches them by identity.
        failed.push(...outcomes);
        return;
      }
    }
  }

  async #writeOnce(outcomes: readonly Outcome[]): Promise<void> {
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
    const fence = (list: readonly ClaimedDelivery[]) => ({
      ids: list.map((d) => d.id),
      attempts: list.map((d) => d.attempts),
      leases: list.map((d) => d.locked_until),
    });
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
      if (succeeded.length > 0) {
        const f = fence(succeeded.map((o) => o.d));
        await sql`
          update callback_deliveries c set status = 'succeeded', completed_at = ${now}, locked_until = null, last_status_code = v.code, last_error = null
          from unnest(${f.ids}::text[], ${f.attempts}::integer[], ${f.leases}::timestamptz[], ${succeeded.map((o) => o.a.statusCode)}::integer[])
            as v (id, attempt, lease, code)
          where c.id = v.id and c.status = 'delivering' and c.attempts = v.attempt and c.locked_until = v.lease`.execute(trx);
      }
      if (retries.length > 0) {
        const f = fence(retries.map((r) => r.d));
        await sql`
          update callback_deliveries c set status = 'pending', next_attempt_at = v.at, locked_until = null, last_status_code = v.code, last_error = v.error
          from unnest(
            ${f.ids}::text[], ${f.attempts}::integer[], ${f.leases}::timestamptz[], ${retries.map((r) => r.at)}::timestamptz[],
            ${retries.map((r) => r.a.statusCode)}::integer[], ${retries.map((r) => r.lastError)}::text[]) as v (id, attempt, lease, at, code, error)
          where c.id = v.id and c.status = 'delivering' and c.attempts = v.attempt and c.locked_until = v.lease`.execute(trx);
      }
      if (released.length > 0) {
        // Never sent: back to the queue as it was, the claim's attempt not counted.
        const f = fence(released);
        await sql`
          update callback_deliveries c set status = 'pending', locked_until = null, next_attempt_at = ${now}, attempts = c.attempts - 1
          from unnest(${f.ids}::text[], ${f.attempts}::integer[], ${f.leases}::timestamptz[]) as v (id, attempt, lease)
          where c.id = v.id and c.status = 'delivering' and c.attempts = v.attempt and c.locked_until = v.lease`.execute(trx);
      }
      for (const e of exhausted) await this.#recordExhausted(trx, e.d, e.a, e.lastError, now);
    });
  }

  /** The schedule is spent: mark the delivery failed and tell the team, in the same transaction. */
  async #recordExhausted(trx: Kysely<DB>, d: ClaimedDelivery, a: AttemptResult, lastError: string, now: Date): Promise<void> {
    if (d.locked_until === null) return;
    const updated = await trx
      .updateTable('callback_deliveries')
      .set({ status: 'failed', completed_at: now, locked_until: null, last_status_code: a.statusCode, last_error: lastError })
      .where('id', '=', d.id)
      .where('status', '=', 'delivering')
      .where('attempts', '=', d.attempts)
      .where('locked_until', '=', d.locked_until)
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
