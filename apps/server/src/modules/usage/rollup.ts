import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';

export interface RetentionOptions {
  readonly rawDays: number;
  readonly minuteDays: number;
  readonly rollupDays: number;
}

export const DEFAULT_RETENTION: RetentionOptions = { rawDays: 14, minuteDays: 90, rollupDays: 730 };

/** Minutes are rolled up this long after they end, so in-flight log flushes (≤ 1 s) have landed. */
export const ROLLUP_GRACE_MS = 5_000;

const MINUTE_CHUNK_MS = 6 * 60 * 60_000;
const HOUR_CHUNK_MS = 7 * 24 * 3_600_000;
const DAY_MS = 24 * 3_600_000;

type Level = 'minute' | 'hour' | 'day';

function floorTo(ms: number, step: number): number {
  return Math.floor(ms / step) * step;
}

/**
 * Maintains the usage rollups incrementally and idempotently. Each step recomputes whole buckets
 * ([watermark, upto)) from the level below — delete, insert aggregated, advance the watermark —
 * in one transaction that holds the watermark row's lock. A crash loses only an uncommitted step,
 * which the next run redoes; several workers serialise on the lock. Nothing is ever added twice.
 */
export class UsageRollup {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly retention: RetentionOptions = DEFAULT_RETENTION,
  ) {}

  /** Bring every level up to date with `now`. Returns how many buckets of each level were (re)built. */
  async run(now: Date): Promise<{ minutes: number; dirtyMinutes: number; hours: number; days: number }> {
    const minutes = await this.#advance('minute', floorTo(now.getTime() - ROLLUP_GRACE_MS, 60_000), MINUTE_CHUNK_MS);
    const dirtyMinutes = await this.#recomputeDirty();
    const minuteMark = await this.#watermark('minute');
    const hours = await this.#advance('hour', floorTo(minuteMark, 3_600_000), HOUR_CHUNK_MS);
    const hourMark = await this.#watermark('hour');
    const days = await this.#advance('day', floorTo(hourMark, DAY_MS), 30 * DAY_MS);
    return { minutes, dirtyMinutes, hours, days };
  }

  async #watermark(level: Level): Promise<number> {
    const row = await this.db.selectFrom('usage_watermarks').select('upto').where('level', '=', level).executeTakeFirstOrThrow();
    return row.upto.getTime();
  }

  /** Advance one level's watermark to `target` in chunks; returns the number of buckets covered. */
  async #advance(level: Level, target: number, chunkMs: number): Promise<number> {
    const step = level === 'minute' ? 60_000 : level === 'hour' ? 3_600_000 : DAY_MS;
    let covered = 0;
    for (;;) {
      const done = await this.db.transaction().execute(async (trx) => {
        const mark = await trx.selectFrom('usage_watermarks').select('upto').where('level', '=', level).forUpdate().executeTakeFirstOrThrow();
        const from = mark.upto.getTime();
        if (from >= target) return 0;
        const upto = Math.min(target, from + chunkMs);
        await this.#rebuild(trx, level, new Date(from), new Date(upto));
        await trx
          .updateTable('usage_watermarks')
          .set({ upto: new Date(upto) })
          .where('level', '=', level)
          .execute();
        return (upto - from) / step;
      });
      if (done === 0) return covered;
      covered += done;
    }
  }

  /** Replace the rows of `level` (counts and latency) with buckets in [from, to) by aggregating the level below. */
  async #rebuild(trx: Kysely<DB>, level: Level, from: Date, to: Date): Promise<void> {
    const counts = `usage_${level}`;
    const latency = `usage_${level}_latency`;
    await sql`delete from ${sql.table(counts)} where bucket >= ${from} and bucket < ${to}`.execute(trx);
    await sql`delete from ${sql.table(latency)} where bucket >= ${from} and bucket < ${to}`.execute(trx);
    if (level === 'minute') {
      await sql`
        insert into usage_minute (bp_id, bucket, method, route, status, count, total_us)
        select bp_id, date_trunc('minute', occurred_at, 'UTC'), method, route, status, count(*), sum(duration_us)
        from api_requests where occurred_at >= ${from} and occurred_at < ${to}
        group by 1, 2, 3, 4, 5`.execute(trx);
      await sql`
        insert into usage_minute_latency (bp_id, bucket, method, route, lb, count)
        select bp_id, date_trunc('minute', occurred_at, 'UTC'), method, route, paygate_latency_bucket(duration_us), count(*)
        from api_requests where occurred_at >= ${from} and occurred_at < ${to}
        group by 1, 2, 3, 4, 5`.execute(trx);
      return;
    }
    const below = level === 'hour' ? 'minute' : 'hour';
    await sql`
      insert into ${sql.table(counts)} (bp_id, bucket, method, route, status, count, total_us)
      select bp_id, date_trunc(${level}, bucket, 'UTC'), method, route, status, sum(count), sum(total_us)
      from ${sql.table(`usage_${below}`)} where bucket >= ${from} and bucket < ${to}
      group by 1, 2, 3, 4, 5`.execute(trx);
    await sql`
      insert into ${sql.table(latency)} (bp_id, bucket, method, route, lb, count)
      select bp_id, date_trunc(${level}, bucket, 'UTC'), method, route, lb, sum(count)
      from ${sql.table(`usage_${below}_latency`)} where bucket >= ${from} and bucket < ${to}
      group by 1, 2, 3, 4, 5`.execute(trx);
  }

  /**
   * Minutes that received rows after being rolled up (delayed flushes): rebuild them, and the
   * hours and days containing them where those were already built.
   */
  async #recomputeDirty(): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const dirty = await trx.selectFrom('usage_dirty_minutes').select('bucket').orderBy('bucket').limit(500).forUpdate().skipLocked().execute();
      if (dirty.length === 0) return 0;
      const minuteMark = (
        await trx.selectFrom('usage_watermarks').select('upto').where('level', '=', 'minute').forUpdate().executeTakeFirstOrThrow()
      ).upto.getTime();
      const hourMark = await this.#watermarkIn(trx, 'hour');
      const dayMark = await this.#watermarkIn(trx, 'day');
      const hours = new Set<number>();
      const days = new Set<number>();
      for (const { bucket } of dirty) {
        const t = bucket.getTime();
        if (t < minuteMark) await this.#rebuild(trx, 'minute', bucket, new Date(t + 60_000));
        hours.add(floorTo(t, 3_600_000));
        days.add(floorTo(t, DAY_MS));
      }
      for (const h of hours) if (h < hourMark) await this.#rebuild(trx, 'hour', new Date(h), new Date(h + 3_600_000));
      for (const d of days) if (d < dayMark) await this.#rebuild(trx, 'day', new Date(d), new Date(d + DAY_MS));
      await trx
        .deleteFrom('usage_dirty_minutes')
        .where(
          'bucket',
          'in',
          dirty.map((d) => d.bucket),
        )
        .execute();
      return dirty.length;
    });
  }

  async #watermarkIn(trx: Kysely<DB>, level: Level): Promise<number> {
    return (await trx.selectFrom('usage_watermarks').select('upto').where('level', '=', level).executeTakeFirstOrThrow()).upto.getTime();
  }

  /**
   * Create the raw log's daily partitions from yesterday to three days ahead, drop those past the
   * raw retention, and prune rollups past theirs. Safe to run from several workers.
   */
  async maintainStorage(now: Date): Promise<{ created: string[]; dropped: string[] }> {
    const created: string[] = [];
    const dropped: string[] = [];
    const today = floorTo(now.getTime(), DAY_MS);
    for (let d = -1; d <= 3; d++) {
      const start = new Date(today + d * DAY_MS);
      const name = `api_requests_${start.toISOString().slice(0, 10).replace(/-/g, '')}`;
      try {
        const result = await sql<{ exists: boolean }>`select to_regclass(${name}) is not null as exists`.execute(this.db);
        if (result.rows[0]?.exists === true) continue;
        await sql`create table if not exists ${sql.table(name)} partition of api_requests for values from (${sql.lit(start.toISOString())}) to (${sql.lit(new Date(start.getTime() + DAY_MS).toISOString())})`.execute(
          this.db,
        );
        created.push(name);
      } catch (error: unknown) {
        // Another worker created it meanwhile, or the default partition already holds rows of that
        // day (then they simply stay there); neither is a reason to stop maintenance.
        if (!(error instanceof Error) || !/already exists|would be violated|updated partition constraint/i.test(error.message)) throw error;
      }
    }
    const cutoff = new Date(today - this.retention.rawDays * DAY_MS);
    const partitions = await sql<{ name: string }>`
      select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
      where p.relname = 'api_requests' and c.relname ~ '^api_requests_[0-9]{8}$'`.execute(this.db);
    for (const { name } of partitions.rows) {
      const day = Date.parse(`${name.slice(13, 17)}-${name.slice(17, 19)}-${name.slice(19, 21)}T00:00:00Z`);
      if (day + DAY_MS <= cutoff.getTime()) {
        await sql`drop table if exists ${sql.table(name)}`.execute(this.db);
        dropped.push(name);
      }
    }
    await sql`delete from api_requests_default where occurred_at < ${cutoff}`.execute(this.db);
    const minuteCutoff = new Date(today - this.retention.minuteDays * DAY_MS);
    const rollupCutoff = new Date(today - this.retention.rollupDays * DAY_MS);
    for (const [table, cutoff] of [
      ['usage_minute', minuteCutoff],
      ['usage_minute_latency', minuteCutoff],
      ['usage_hour', rollupCutoff],
      ['usage_hour_latency', rollupCutoff],
      ['usage_day', rollupCutoff],
      ['usage_day_latency', rollupCutoff],
    ] as const) {
      await sql`delete from ${sql.table(table)} where bucket < ${cutoff}`.execute(this.db);
    }
    return { created, dropped };
  }
}
