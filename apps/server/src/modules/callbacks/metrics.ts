import { type Kysely, sql } from 'kysely';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';

/** What the delivery worker reports about each attempt it makes. */
export interface DeliveryMetrics {
  /** `result` is `success` or the attempt's error class (`timeout`, `refused`, `non_2xx`…). */
  readonly attempts: Counter<'result'>;
  readonly attemptDuration: Histogram<'result'>;
  /** Deliveries claimed by this worker and not yet recorded. */
  readonly held: Gauge;
}

export function createDeliveryMetrics(registry: Registry): DeliveryMetrics {
  return {
    attempts: new Counter({
      name: 'paygate_callback_attempts_total',
      help: 'Callback delivery attempts by result (success or error class)',
      labelNames: ['result'],
      registers: [registry],
    }),
    attemptDuration: new Histogram({
      name: 'paygate_callback_attempt_duration_seconds',
      help: 'Callback delivery attempt duration (request sent to response read) by result',
      labelNames: ['result'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    held: new Gauge({ name: 'paygate_callback_worker_held', help: 'Deliveries this worker has claimed and not yet recorded', registers: [registry] }),
  };
}

/**
 * The delivery queue as the database sees it, read when /metrics is scraped — so any API process
 * reports it, whichever process runs the workers. Alert on `paygate_callback_oldest_due_seconds`:
 * it grows when workers are down or cannot keep up. Counts only unfinished deliveries (the
 * partial due index), never the history.
 */
export function registerCallbackQueueMetrics(registry: Registry, db: Kysely<DB>, clock: Clock): void {
  let states: Gauge<'state'> | undefined;
  let oldest: Gauge | undefined;
  // Both gauges are collected concurrently by one scrape: they share one query.
  let reading: Promise<void> | undefined;
  const read = async () => {
    const now = clock.now();
    try {
      const { rows } = await sql<{ due: string; scheduled: string; in_flight: string; oldest: Date | null }>`
        select
          count(*) filter (where next_attempt_at <= ${now} and (status = 'pending' or locked_until < ${now})) as due,
          count(*) filter (where status = 'pending' and next_attempt_at > ${now}) as scheduled,
          count(*) filter (where status = 'delivering' and locked_until >= ${now}) as in_flight,
          min(next_attempt_at) filter (where next_attempt_at <= ${now} and (status = 'pending' or locked_until < ${now})) as oldest
        from callback_deliveries where status in ('pending', 'delivering')`.execute(db);
      const r = rows[0];
      if (r === undefined) return;
      states?.set({ state: 'due' }, Number(r.due));
      states?.set({ state: 'scheduled' }, Number(r.scheduled));
      states?.set({ state: 'in_flight' }, Number(r.in_flight));
      oldest?.set(r.oldest === null ? 0 : Math.max(0, (now.getTime() - new Date(r.oldest).getTime()) / 1000));
    } catch (_error: unknown) {
      // Database unreachable: keep the last values rather than fail the whole scrape (the
      // process metrics and /readyz still tell the operator what is wrong).
    }
  };
  const collect = () => {
    reading ??= read().finally(() => {
      reading = undefined;
    });
    return reading;
  };
  states = new Gauge({
    name: 'paygate_callback_deliveries',
    help: 'Unfinished callback deliveries: due (waiting for a worker), scheduled (a retry later), in_flight (claimed by a live worker)',
    labelNames: ['state'],
    registers: [registry],
    collect,
  });
  oldest = new Gauge({
    name: 'paygate_callback_oldest_due_seconds',
    help: 'How long the oldest due callback delivery has been waiting for a worker (0 when none)',
    registers: [registry],
    collect,
  });
}
