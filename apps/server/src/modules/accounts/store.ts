import type { Insertable, Kysely } from 'kysely';
import type { DB, SessionsTable, UserRow } from '../../db/schema.js';
import type { MembershipView } from './types.js';

/**
 * The SQL of users, sessions and two-factor state. Methods that must join the caller's
 * transaction take it as `executor`.
 */
export class AccountsStore {
  constructor(private readonly db: Kysely<DB>) {}

  findUserByEmail(normalisedEmail: string, executor: Kysely<DB> = this.db): Promise<UserRow | undefined> {
    return executor
      .selectFrom('users')
      .selectAll()
      .where((eb) => eb(eb.fn('lower', ['email']), '=', normalisedEmail))
      .executeTakeFirst();
  }

  /** The user row, locked for the rest of the transaction when `executor` is one and `lock` is set. */
  getUser(userId: string, executor: Kysely<DB> = this.db, lock = false): Promise<UserRow> {
    const query = executor.selectFrom('users').selectAll().where('id', '=', userId);
    return (lock ? query.forUpdate() : query).executeTakeFirstOrThrow();
  }

  async memberships(userId: string): Promise<MembershipView[]> {
    const rows = await this.db
      .selectFrom('memberships as m')
      .innerJoin('bps as b', 'b.id', 'm.bp_id')
      .select(['b.id', 'b.name', 'b.environment', 'm.role'])
      .where('m.user_id', '=', userId)
      .orderBy('m.created_at')
      .execute();
    return rows.map((r) => ({ bpId: r.id, bpName: r.name, environment: r.environment, role: r.role }));
  }

  async insertSession(values: Insertable<SessionsTable>): Promise<void> {
    await this.db.insertInto('sessions').values(values).execute();
  }

  sessionWithUser(tokenHash: string) {
    return this.db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select([
        's.id as session_id',
        's.csrf_token',
        's.active_bp_id',
        's.reauth_at',
        's.expires_at',
        's.last_seen_at',
        'u.id as user_id',
        'u.email',
        'u.name',
        'u.totp_enabled_at',
      ])
      .where('s.token_hash', '=', tokenHash)
      .executeTakeFirst();
  }

  async touchSession(tokenHash: string, now: Date): Promise<void> {
    await this.db.updateTable('sessions').set({ last_seen_at: now }).where('token_hash', '=', tokenHash).execute();
  }

  async setActiveBp(tokenHash: string, bpId: string | null): Promise<void> {
    await this.db.updateTable('sessions').set({ active_bp_id: bpId }).where('token_hash', '=', tokenHash).execute();
  }

  async markReauthenticated(tokenHash: string, now: Date): Promise<void> {
    await this.db.updateTable('sessions').set({ reauth_at: now }).where('token_hash', '=', tokenHash).execute();
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
  }

  /** End every session of the user except the one making the change; returns how many ended. */
  async endOtherSessions(executor: Kysely<DB>, userId: string, keepTokenHash: string): Promise<number> {
    const result = await executor.deleteFrom('sessions').where('user_id', '=', userId).where('token_hash', '!=', keepTokenHash).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async setPasswordHash(executor: Kysely<DB>, userId: string, passwordHash: string): Promise<void> {
    await executor.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
  }

  /** A new, not yet enabled TOTP secret (sealed); replaces any unfinished enrolment. */
  async setPendingTotpSecret(userId: string, sealedSecret: string): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ totp_secret_enc: sealedSecret, totp_last_step: null })
      .where('id', '=', userId)
      .where('totp_enabled_at', 'is', null)
      .execute();
  }

  /** Record `step` as used; false when it is not newer than the last used step (replay), even under races. */
  async consumeTotpStep(executor: Kysely<DB>, userId: string, step: number): Promise<boolean> {
    const result = await executor
      .updateTable('users')
      .set({ totp_last_step: String(step) })
      .where('id', '=', userId)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', String(step))]))
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async enableTotp(executor: Kysely<DB>, userId: string, now: Date): Promise<void> {
    await executor.updateTable('users').set({ totp_enabled_at: now }).where('id', '=', userId).execute();
  }

  async disableTotp(executor: Kysely<DB>, userId: string): Promise<void> {
    await executor.updateTable('users').set({ totp_enabled_at: null, totp_secret_enc: null, totp_last_step: null }).where('id', '=', userId).execute();
  }

  /** Expired sessions, and throttle counters idle for a day whose lock (if any) has passed. */
  async pruneExpired(now: Date): Promise<{ sessions: number; throttle: number }> {
    const sessions = await this.db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
    const throttle = await this.db
      .deleteFrom('login_throttle')
      .where('window_start', '<', new Date(now.getTime() - 24 * 3600 * 1000))
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .executeTakeFirst();
    return { sessions: Number(sessions.numDeletedRows), throttle: Number(throttle.numDeletedRows) };
  }
}
