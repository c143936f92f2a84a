import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';

/**
 * One throttling rule: `maxFailures` failed logins inside `windowSeconds` locks the key
 * for `lockSeconds`. Three keys are counted per attempt so that neither a single IP spraying many
 * accounts nor many IPs guessing one account go unchecked, while a locked-out account can still
 * be reached from an address that has not been failing (see docs/accounts.md).
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

function keyFor(rule: ThrottleRule, email: string, ip: string): string {
  const account = email.trim().toLowerCase();
  if (rule.scope === 'account_ip') return `account_ip:${account}|${ip}`;
  if (rule.scope === 'account') return `account:${account}`;
  return `ip:${ip}`;
}

export class LoginThrottle {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly rules: readonly ThrottleRule[] = LOGIN_THROTTLE_RULES,
  ) {}

  /** Seconds until the caller may try again, or 0 when no key is locked. */
  async lockedFor(email: string, ip: string, now: Date): Promise<number> {
    const keys = this.rules.map((r) => keyFor(r, email, ip));
    const rows = await this.db.selectFrom('login_throttle').select('locked_until').where('key', 'in', keys).execute();
    let wait = 0;
    for (const row of rows) {
      if (row.locked_until !== null && row.locked_until > now) {
        wait = Math.max(wait, Math.ceil((row.locked_until.getTime() - now.getTime()) / 1000));
      }
    }
    return wait;
  }

  /** Count one failure against every key; an atomic upsert so concurrent attempts all count. */
  async recordFailure(email: string, ip: string, now: Date): Promise<void> {
    for (const rule of this.rules) {
      const key = keyFor(rule, email, ip);
      const windowStart = new Date(now.getTime() - rule.windowSeconds * 1000);
      const lockUntil = new Date(now.getTime() + rule.lockSeconds * 1000);
      await sql`
        insert into login_throttle (key, failures, window_start, locked_until)
        values (${key}, 1, ${now}, null)
        on conflict (key) do update set
          failures = case when login_throttle.window_start < ${windowStart} then 1 else login_throttle.failures + 1 end,
          window_start = case when login_throttle.window_start < ${windowStart} then ${now} else login_throttle.window_start end,
          locked_until = case
            when login_throttle.window_start >= ${windowStart} and login_throttle.failures + 1 >= ${rule.maxFailures} then ${lockUntil}
            else login_throttle.locked_until end`.execute(this.db);
    }
  }

  /** A successful login clears the account's own counters (not the IP's: a spraying IP stays counted). */
  async recordSuccess(email: string, ip: string): Promise<void> {
    const keys = this.rules.filter((r) => r.scope !== 'ip').map((r) => keyFor(r, email, ip));
    await this.db.deleteFrom('login_throttle').where('key', 'in', keys).execute();
  }
}
