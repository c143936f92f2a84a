import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';

/**
 * One throttling rule: at most `maxFailures` unsuccessful attempts inside `windowSeconds`; the
 * attempt that reaches the limit locks the key for `lockSeconds`. Three keys are counted per
 * attempt so that neither a single IP spraying many accounts nor many IPs guessing one account go
 * unchecked, while a locked-out account can still be reached from an address that has not been
 * failing (see docs/accounts.md).
 */
export interface ThrottleRule {
  readonly scope: 'account_ip' | 'account' | 'ip';
  readonly maxFailures: number;
  readonly windowSeconds: number;
  readonly lockSeconds: number;
}

export const LOGIN_THROTTLE_RULES: readonly ThrottleRule[] = [
  { scope: 'account_ip', maxFailures: 5, windowSeconds: 900, lockSeconds: 900 },
  { scope: 'account', maxFailures: 20, windowSeconds: 900, lockSeconds: 900 },
  { scope: 'ip', maxFailures: 50, windowSeconds: 900, lockSeconds: 900 },
];

/** What one key counted for an admitted attempt: enough to give the count back exactly. */
interface KeyCount {
  readonly rule: ThrottleRule;
  readonly key: string;
  /** This attempt's position in the key's window (1 = first). */
  readonly position: number;
  readonly windowStart: Date;
}

/** An attempt the throttle let through; hand it back with {@link LoginThrottle.succeeded} or {@link LoginThrottle.refund}. */
export interface ThrottleAdmission {
  readonly admitted: true;
  readonly counts: readonly KeyCount[];
}

export type ThrottleDecision = ThrottleAdmission | { readonly admitted: false; readonly retryAfterSeconds: number };

function keyFor(rule: ThrottleRule, email: string, ip: string): string {
  const account = email.trim().toLowerCase();
  if (rule.scope === 'account_ip') return `account_ip:${account}|${ip}`;
  if (rule.scope === 'account') return `account:${account}`;
  return `ip:${ip}`;
}

/**
 * Counts attempts **before** they are evaluated, so N parallel attempts can never all be checked.
 *
 * Every attempt is counted as a failure from the moment it is admitted; {@link succeeded} and
 * {@link refund} take the count back afterwards. Admission is one `INSERT … ON CONFLICT DO UPDATE
 * … RETURNING` per key: PostgreSQL runs it atomically under the row's lock, so concurrent attempts
 * on one key get distinct positions 1, 2, 3… and only positions up to the limit pass. (PGlite is a
 * single backend, where each statement is atomic as well.) Counters live in the database, so the
 * limit holds across every API process.
 */
export class LoginThrottle {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly rules: readonly ThrottleRule[] = LOGIN_THROTTLE_RULES,
  ) {}

  /**
   * Count one attempt against every key and decide whether it may be evaluated. A key that
   * refuses stops the count there; keys that had already admitted the attempt get it back.
   */
  async admit(email: string, ip: string, now: Date): Promise<ThrottleDecision> {
    const counts: KeyCount[] = [];
    for (const rule of this.rules) {
      const key = keyFor(rule, email, ip);
      const row = await this.#count(rule, key, now);
      if (row.failures > rule.maxFailures) {
        await this.#giveBack(counts, () => 1);
        const until = row.locked_until ?? new Date(row.window_start.getTime() + rule.windowSeconds * 1000);
        return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)) };
      }
      counts.push({ rule, key, position: row.failures, windowStart: row.window_start });
    }
    return { admitted: true, counts };
  }

  /**
   * The attempt proved the user's identity: the account's own keys forget every failure counted
   * up to and including this attempt (the user's typos), but not attempts admitted after it, which
   * may still be running. The IP key gets only this attempt back: a spraying IP stays counted.
   */
  async succeeded(admission: ThrottleAdmission): Promise<void> {
    await this.#giveBack(admission.counts, (count) => (count.rule.scope === 'ip' ? 1 : count.position));
  }

  /** The attempt turned out not to be a guess (right password, second factor still to come): take it back. */
  async refund(admission: ThrottleAdmission): Promise<void> {
    await this.#giveBack(admission.counts, () => 1);
  }

  /**
   * One atomic count: a locked key stays locked (and the attempt is refused); an expired lock or
   * window starts a new window at 1; otherwise the count goes up, and reaching the limit locks.
   */
  async #count(rule: ThrottleRule, key: string, now: Date) {
    const windowStart = new Date(now.getTime() - rule.windowSeconds * 1000);
    const lockUntil = new Date(now.getTime() + rule.lockSeconds * 1000);
    const lockOnFirst = rule.maxFailures <= 1 ? lockUntil : null;
    const locked = sql<boolean>`login_throttle.locked_until > ${now}::timestamptz`;
    const fresh = sql<boolean>`(login_throttle.locked_until is not null or login_throttle.window_start < ${windowStart}::timestamptz)`;
    return this.db
      .insertInto('login_throttle')
      .values({ key, failures: 1, window_start: now, locked_until: lockOnFirst })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          // Refused attempts mark the key as over the limit without piling up, so a later success can still lift the lock.
          failures: sql<number>`case when ${locked} then ${rule.maxFailures + 1}::int when ${fresh} then 1 else login_throttle.failures + 1 end`,
          window_start: sql<Date>`case when ${locked} then login_throttle.window_start when ${fresh} then ${now}::timestamptz else login_throttle.window_start end`,
          locked_until: sql<Date | null>`case
            when ${locked} then login_throttle.locked_until
            when ${fresh} then ${lockOnFirst}::timestamptz
            when login_throttle.failures + 1 >= ${rule.maxFailures}::int then ${lockUntil}::timestamptz
            else null end`,
        }),
      )
      .returning(['failures', 'window_start', 'locked_until'])
      .executeTakeFirstOrThrow();
  }

  /**
   * Subtract from each key, but only within the window the attempt was counted in (a new window
   * owes nothing); a key whose count drops below its limit is unlocked.
   */
  async #giveBack(counts: readonly KeyCount[], amount: (count: KeyCount) => number): Promise<void> {
    for (const count of counts) {
      const n = amount(count);
      await this.db
        .updateTable('login_throttle')
        .set({
          failures: sql<number>`greatest(failures - ${n}::int, 0)`,
          locked_until: sql<Date | null>`case when failures - ${n}::int < ${count.rule.maxFailures}::int then null else locked_until end`,
        })
        .where('key', '=', count.key)
        .where('window_start', '=', count.windowStart)
        .execute();
    }
  }
}
