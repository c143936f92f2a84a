import { type Kysely, sql } from 'kysely';
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { DB } from '../../db/schema.js';

/** One `/v1/` request attributable to a BP. */
export interface RequestLogEntry {
  readonly occurredAt: Date;
  readonly bpId: string;
  readonly keyId: string | null;
  readonly method: string;
  readonly route: string;
  readonly status: number;
  readonly durationUs: number;
  readonly clientIp: string | null;
  readonly errorCode: string | null;
  /** The error answer's human message (problem `detail`), capped in length. */
  readonly errorMessage?: string | null;
  readonly requestId: string;
}

export interface RequestLogOptions {
  /** Entries kept in memory at most; beyond it new entries are dropped (and counted). */
  readonly maxBuffered: number;
  /** Flush at least this often. */
  readonly flushIntervalMs: number;
  /** Flush early once this many entries wait. */
  readonly batchSize: number;
}

export const DEFAULT_REQUEST_LOG_OPTIONS: RequestLogOptions = { maxBuffered: 100_000, flushIntervalMs: 500, batchSize: 2_000 };

/**
 * Writes the request log off the request path: `record()` only appends to a bounded in-memory
 * buffer; a timer flushes it in batches (one multi-row INSERT via unnest per batch).
 *
 * What can be lost, by design: on a process crash, the entries of the last flush interval
 * (≤ 500 ms by default) that were not yet written; under overload (the buffer full because the
 * database is slow or down), new entries are dropped — each drop is counted in
 * `paygate_request_log_dropped_total` and reported in a warning log line, never silently.
 * When a flush fails, its entries go back into the buffer (space permitting) and are retried.
 */
export class RequestLogWriter {
  #buffer: RequestLogEntry[] = [];
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> | undefined;
  #droppedSinceWarning = 0;
  readonly #dropped: Counter;
  readonly #written: Counter;
  readonly #buffered: Gauge;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly logger: Pick<Logger, 'warn' | 'error'>,
    registry: Registry,
    private readonly options: RequestLogOptions = DEFAULT_REQUEST_LOG_OPTIONS,
  ) {
    this.#dropped = new Counter({
      name: 'paygate_request_log_dropped_total',
      help: 'Request log entries dropped because the buffer was full',
      registers: [registry],
    });
    this.#written = new Counter({ name: 'paygate_request_log_written_total', help: 'Request log entries written to the database', registers: [registry] });
    this.#buffered = new Gauge({ name: 'paygate_request_log_buffered', help: 'Request log entries waiting to be written', registers: [registry] });
  }

  start(): void {
    this.#timer ??= setInterval(() => void this.flush(), this.options.flushIntervalMs);
    this.#timer.unref();
  }

  record(entry: RequestLogEntry): void {
    if (this.#buffer.length >= this.options.maxBuffered) {
      this.#dropped.inc();
      if (this.#droppedSinceWarning++ === 0)
        this.logger.warn({ maxBuffered: this.options.maxBuffered }, 'request log buffer full; dropping entries until the database catches up');
      return;
    }
    this.#buffer.push(entry);
    this.#buffered.set(this.#buffer.length);
    if (this.#buffer.length >= this.options.batchSize) void this.flush();
  }

  /** Write everything buffered now. Resolves when the buffer is empty or a write failed. */
  flush(): Promise<void> {
    this.#flushing ??= this.#drain().finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }

  async #drain(): Promise<void> {
    while (this.#buffer.length > 0) {
      const batch = this.#buffer.splice(0, this.options.batchSize);
      try {
        await this.#write(batch);
        this.#written.inc(batch.length);
      } catch (error: unknown) {
        // Put the batch back (in front, so order is kept) as far as the bound allows, and retry later.
        const room = Math.max(0, this.options.maxBuffered - this.#buffer.length);
        const kept = batch.slice(0, room);
        this.#buffer.unshift(...kept);
        if (kept.length < batch.length) this.#dropped.inc(batch.length - kept.length);
        this.logger.error({ err: error, pending: this.#buffer.length }, 'request log flush failed; will retry');
        break;
      } finally {
        this.#buffered.set(this.#buffer.length);
      }
    }
    if (this.#droppedSinceWarning > 0 && this.#buffer.length < this.options.maxBuffered / 2) {
      this.logger.warn(
        { dropped: this.#droppedSinceWarning },
        'request log buffer recovered; entries were dropped meanwhile (see paygate_request_log_dropped_total)',
      );
      this.#droppedSinceWarning = 0;
    }
  }

  async #write(batch: readonly RequestLogEntry[]): Promise<void> {
    const col = <T>(pick: (e: RequestLogEntry) => T) => batch.map(pick);
    await this.db.transaction().execute(async (trx) => {
      await sql`
        insert into api_requests (occurred_at, bp_id, key_id, method, route, status, duration_us, client_ip, error_code, error_message, request_id)
        select * from unnest(
          ${col((e) => e.occurredAt.toISOString())}::timestamptz[], ${col((e) => e.bpId)}::text[], ${col((e) => e.keyId)}::text[],
          ${col((e) => e.method)}::text[], ${col((e) => e.route)}::text[], ${col((e) => e.status)}::smallint[],
          ${col((e) => e.durationUs)}::integer[], ${col((e) => e.clientIp)}::text[], ${col((e) => e.errorCode)}::text[],
          ${col((e) => e.errorMessage ?? null)}::text[],           ${col((e) => e.requestId)}::text[])`.execute(trx);
      // Rows for minutes that were already rolled up (a late flush) mark those minutes for recomputation.
      await sql`
        insert into usage_dirty_minutes (bucket)
        select distinct date_trunc('minute', t) from unnest(${col((e) => e.occurredAt.toISOString())}::timestamptz[]) as t
        where t < (select upto from usage_watermarks where level = 'minute')
        on conflict do nothing`.execute(trx);
    });
  }

  /** Stop the timer and write what is left (graceful shutdown). */
  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush();
    if (this.#buffer.length > 0) await this.flush();
  }
}
