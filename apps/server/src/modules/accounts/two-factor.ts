import type { Kysely } from 'kysely';
import type { DB, UserRow } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { SecretBox } from '../../lib/secret-box.js';
import type { AuditService } from '../audit/service.js';
import type { CredentialChecks } from './credentials.js';
import type { AccountsStore } from './store.js';
import { generateTotpSecret, totpUri } from './totp.js';
import type { AccessChecks, RequestOrigin, SessionContext } from './types.js';
import { recordForAllBps } from './user-audit.js';

/**
 * Two-factor authentication (TOTP) of the logged-in user. Enrolling and removing an authenticator
 * both need recent re-authentication: a stolen or forgotten session must not be able to put its
 * own authenticator on the account and lock the owner out.
 */
export class TwoFactorService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly store: AccountsStore,
    private readonly audit: AuditService,
    private readonly secrets: SecretBox,
    private readonly checks: CredentialChecks,
    private readonly clock: Clock,
    private readonly access: AccessChecks,
  ) {}

  async beginSetup(session: SessionContext): Promise<{ secret: string; otpauthUri: string }> {
    this.access.requireRecentReauth(session);
    const user = await this.store.getUser(session.user.id);
    if (user.totp_enabled_at !== null)
      throw new AppError('totp_already_enabled', 'Two-factor authentication is already on. Turn it off first to enrol a new device.');
    const secret = generateTotpSecret();
    await this.store.setPendingTotpSecret(session.user.id, this.secrets.seal(secret, `totp:${session.user.id}`));
    return { secret, otpauthUri: totpUri(secret, session.user.email) };
  }

  /**
   * Turn two-factor on once a code from the new authenticator matches. Every other session of the
   * user ends in the same transaction: they were opened without the second factor.
   */
  async enable(session: SessionContext, code: string, origin: RequestOrigin): Promise<{ endedSessions: number }> {
    this.access.requireRecentReauth(session);
    const now = this.clock.now();
    return this.db.transaction().execute(async (trx) => {
      const user = await this.store.getUser(session.user.id, trx, true);
      if (user.totp_enabled_at !== null) throw new AppError('totp_already_enabled', 'Two-factor authentication is already on.');
      if (user.totp_secret_enc === null) throw new AppError('totp_setup_missing', 'Start two-factor setup first to get a secret.');
      if (!(await this.consume(trx, user, code, now)))
        throw new AppError('totp_invalid', 'That code does not match; check the time on your device and try the next code.');
      await this.store.enableTotp(trx, user.id, now);
      const endedSessions = await this.store.endOtherSessions(trx, user.id, session.tokenHash);
      await recordForAllBps(this.audit, trx, session, 'user.totp_enabled', origin, { endedSessions });
      return { endedSessions };
    });
  }

  async disable(session: SessionContext, origin: RequestOrigin): Promise<void> {
    this.access.requireRecentReauth(session);
    await this.db.transaction().execute(async (trx) => {
      const user = await this.store.getUser(session.user.id, trx, true);
      if (user.totp_enabled_at === null) throw new AppError('totp_not_enabled', 'Two-factor authentication is not on.');
      await this.store.disableTotp(trx, user.id);
      await recordForAllBps(this.audit, trx, session, 'user.totp_disabled', origin);
    });
  }

  /** Check a code and use it up: each time step is accepted once, so an observed code cannot be replayed. */
  async consume(executor: Kysely<DB>, user: UserRow, code: string, now: Date): Promise<boolean> {
    if (user.totp_secret_enc === null) return false;
    const step = await this.checks.checkTotp(this.secrets.open(user.totp_secret_enc, `totp:${user.id}`), code.trim(), now);
    if (step === null) return false;
    return this.store.consumeTotpStep(executor, user.id, step);
  }
}
