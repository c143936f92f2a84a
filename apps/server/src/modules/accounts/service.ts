import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { isUniqueViolation } from '../../db/unique-violation.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId, newToken } from '../../lib/ids.js';
import type { SecretBox } from '../../lib/secret-box.js';
import type { AuditService } from '../audit/service.js';
import { type CredentialChecks, createCredentialChecks } from './credentials.js';
import { acceptInvitation, openInvitation } from './invitations.js';
import { hashPassword } from './passwords.js';
import { type Permission, roleAllows } from './permissions.js';
import { AccountsStore } from './store.js';
import { TeamService } from './team.js';
import type { LoginThrottle, ThrottleAdmission } from './throttle.js';
import { hashToken } from './tokens.js';
import { TwoFactorService } from './two-factor.js';
import { type AccessChecks, type AccountsOptions, type BpAccess, normaliseEmail, type RequestOrigin, type SessionContext, userActor } from './types.js';
import { recordForAllBps } from './user-audit.js';

export type { AccountsOptions, BpAccess, InvitationView, MembershipView, MemberView, RequestOrigin, SessionContext } from './types.js';

export const SESSION_TOKEN_BYTES = 32;

/**
 * Business Partners, users, sessions, roles, invitations and two-factor authentication.
 * Knows nothing of HTTP: callers pass tokens and origins in, and get views and {@link AppError}s out.
 * The team (`team`) and two-factor (`twoFactor`) parts are services of their own, built here
 * because both depend on this one's authorisation and re-authentication checks.
 */
export class AccountsService implements AccessChecks {
  readonly #bpCreatedHooks: ((trx: Kysely<DB>, bpId: string, actorLabel: string) => Promise<unknown>)[] = [];
  readonly #store: AccountsStore;
  readonly team: TeamService;
  readonly twoFactor: TwoFactorService;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditService,
    private readonly throttle: LoginThrottle,
    secrets: SecretBox,
    private readonly clock: Clock,
    private readonly options: AccountsOptions,
    private readonly checks: CredentialChecks = createCredentialChecks(),
  ) {
    this.#store = new AccountsStore(db);
    this.twoFactor = new TwoFactorService(db, this.#store, audit, secrets, checks, clock, this);
    this.team = new TeamService(db, this.#store, audit, clock, this, options.invitationTtlSeconds);
  }

  /**
   * Run `hook` inside the transaction that creates a Business Partner (onboarding), so what other
   * features set up for a new BP (its API secret…) exists as soon as the BP does.
   */
  onBpCreated(hook: (trx: Kysely<DB>, bpId: string, actorLabel: string) => Promise<unknown>): void {
    this.#bpCreatedHooks.push(hook);
  }

  // ── sign-up, log-in, sessions ──────────────────────────────────────────────

  /**
   * Create a user. Without an invitation it also creates a BP with the user as owner; with one
   * it joins the inviting BP with the invited role. Returns a new session token.
   */
  async signUp(
    input: { email: string; password: string; name: string; businessName?: string | undefined; invitationToken?: string | undefined },
    origin: RequestOrigin,
  ): Promise<{ token: string; userId: string; bpId: string }> {
    const { userId, bpId } = await this.#register(input, origin);
    const token = await this.#createSession(userId, bpId, origin, this.clock.now());
    return { token, userId, bpId };
  }

  async #register(
    input: { email: string; password: string; name: string; businessName?: string | undefined; invitationToken?: string | undefined },
    origin: RequestOrigin,
  ): Promise<{ userId: string; bpId: string }> {
    const email = normaliseEmail(input.email);
    const passwordHash = await hashPassword(input.password);
    const now = this.clock.now();
    return this.db.transaction().execute(async (trx) => {
      const existing = await this.#store.findUserByEmail(email, trx);
      const taken = () => new AppError('email_taken', 'An account with this e-mail already exists. Log in instead, or use another address.');
      if (existing) throw taken();
      const userId = newId('usr');
      await trx
        .insertInto('users')
        .values({ id: userId, email, name: input.name.trim(), password_hash: passwordHash, totp_secret_enc: null, totp_enabled_at: null, totp_last_step: null })
        .execute()
        // A concurrent sign-up with the same address can pass the check above first.
        .catch((error: unknown) => {
          throw isUniqueViolation(error, 'users_email_key') ? taken() : error;
        });
      const actor = userActor({ id: userId, email });
      if (input.invitationToken !== undefined) {
        const invitation = await openInvitation(trx, input.invitationToken, now);
        if (normaliseEmail(invitation.email) !== email) {
          throw new AppError('invitation_email_mismatch', `This invitation was sent to ${invitation.email}; sign up with that address.`);
        }
        await acceptInvitation(trx, this.audit, invitation, { id: userId, email }, origin, now);
        return { userId, bpId: invitation.bp_id };
      }
      const businessName = input.businessName?.trim();
      if (businessName === undefined || businessName.length === 0) {
        throw new AppError('validation_failed', 'A business name is required to create a Business Partner.', {
          errors: [{ field: 'body.businessName', message: 'Required when not accepting an invitation' }],
        });
      }
      const bpId = newId('bp');
      await trx.insertInto('bps').values({ id: bpId, name: businessName }).execute();
      await trx.insertInto('memberships').values({ bp_id: bpId, user_id: userId, role: 'owner' }).execute();
      for (const hook of this.#bpCreatedHooks) await hook(trx, bpId, email);
      await this.audit.record(trx, {
        bpId,
        actor,
        action: 'bp.created',
        target: { type: 'bp', id: bpId },
        details: { name: businessName },
        requestId: origin.requestId,
        ip: origin.ip,
      });
      return { userId, bpId };
    });
  }

  /**
   * Verify credentials (and the TOTP code when the user has two-factor on) and open a session.
   * Throttled per account+IP, per account and per IP: the attempt is counted **before** anything
   * is checked, and one beyond the limit answers `too_many_attempts` without being evaluated.
   */
  async logIn(input: { email: string; password: string; totpCode?: string | undefined }, origin: RequestOrigin): Promise<{ token: string; userId: string }> {
    const email = normaliseEmail(input.email);
    const now = this.clock.now();
    const admission = await this.#admit(email, origin.ip, now);
    const user = await this.#store.findUserByEmail(email);
    let passwordOk = false;
    if (user) passwordOk = await this.checks.verifyPassword(user.password_hash, input.password);
    else await this.checks.burnVerification(input.password);
    // A failure needs no further bookkeeping: the attempt was counted when it was admitted.
    if (!user || !passwordOk) throw new AppError('invalid_credentials', 'E-mail or password is wrong.');
    if (user.totp_enabled_at !== null) {
      if (input.totpCode === undefined || input.totpCode === '') {
        // The password was right; asking for the second factor is not a failure.
        await this.throttle.refund(admission);
        throw new AppError('totp_required', 'Enter the 6-digit code from your authenticator app.');
      }
      if (!(await this.twoFactor.consume(this.db, user, input.totpCode, now))) {
        throw new AppError('totp_invalid', 'The two-factor code is wrong or was already used; wait for the next code.');
      }
    }
    await this.throttle.succeeded(admission);
    const memberships = await this.#store.memberships(user.id);
    const token = await this.#createSession(user.id, memberships[0]?.bpId ?? null, origin, now);
    return { token, userId: user.id };
  }

  async logOut(tokenHash: string): Promise<void> {
    await this.#store.deleteSession(tokenHash);
  }

  /** Resolve a session cookie; null when missing, unknown or expired. Slides `last_seen_at`. */
  async resolveSession(token: string | undefined): Promise<SessionContext | null> {
    if (token === undefined || token.length < 20 || token.length > 100) return null;
    const hash = hashToken(token);
    const now = this.clock.now();
    const row = await this.#store.sessionWithUser(hash);
    if (!row || row.expires_at <= now) return null;
    if (now.getTime() - row.last_seen_at.getTime() > 60_000) await this.#store.touchSession(hash, now);
    const memberships = await this.#store.memberships(row.user_id);
    const activeBpId = memberships.some((m) => m.bpId === row.active_bp_id) ? row.active_bp_id : (memberships[0]?.bpId ?? null);
    const reauthUntil = row.reauth_at === null ? null : new Date(row.reauth_at.getTime() + this.options.reauthWindowSeconds * 1000);
    return {
      sessionId: row.session_id,
      tokenHash: hash,
      csrfToken: row.csrf_token,
      user: { id: row.user_id, email: row.email, name: row.name, totpEnabled: row.totp_enabled_at !== null },
      memberships,
      activeBpId,
      reauthUntil: reauthUntil !== null && reauthUntil > now ? reauthUntil : null,
      expiresAt: row.expires_at,
    };
  }

  /** Constant-time comparison of the CSRF header with the session's token. */
  csrfMatches(session: SessionContext, presented: string | undefined): boolean {
    if (presented === undefined) return false;
    const a = Buffer.from(session.csrfToken);
    const b = Buffer.from(presented);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  async switchBp(session: SessionContext, bpId: string): Promise<void> {
    if (!session.memberships.some((m) => m.bpId === bpId)) throw new AppError('not_found', `No Business Partner ${bpId} among yours.`);
    await this.#store.setActiveBp(session.tokenHash, bpId);
  }

  // ── re-authentication, password ───────────────────────────────────────────

  /**
   * Confirm the user's identity again (password, or a TOTP code when two-factor is on). Opens a
   * window of `reauthWindowSeconds` during which sensitive actions are allowed. Throttled like log-in.
   */
  async reauthenticate(session: SessionContext, proof: { password?: string | undefined; totpCode?: string | undefined }, origin: RequestOrigin): Promise<Date> {
    const now = this.clock.now();
    const admission = await this.#admit(session.user.email, origin.ip, now);
    const user = await this.#store.getUser(session.user.id);
    let ok = false;
    if (proof.totpCode !== undefined && user.totp_enabled_at !== null) ok = await this.twoFactor.consume(this.db, user, proof.totpCode, now);
    else if (proof.password !== undefined) ok = await this.checks.verifyPassword(user.password_hash, proof.password);
    if (!ok) throw new AppError('reauth_invalid', 'That password or code is not right.');
    await this.throttle.succeeded(admission);
    await this.#store.markReauthenticated(session.tokenHash, now);
    return new Date(now.getTime() + this.options.reauthWindowSeconds * 1000);
  }

  /**
   * The helper every sensitive action calls first (role changes, invitations, two-factor,
   * password, keypair refresh, secret reveal, …).
   *
   * @example accounts.requireRecentReauth(session); // throws reauth_required when stale
   */
  requireRecentReauth(session: SessionContext): void {
    if (session.reauthUntil === null || session.reauthUntil <= this.clock.now()) {
      throw new AppError(
        'reauth_required',
        `This action needs you to confirm your identity (password${session.user.totpEnabled ? ' or two-factor code' : ''}) within the last ${Math.round(this.options.reauthWindowSeconds / 60)} minutes.`,
        {
          reauthWindowSeconds: this.options.reauthWindowSeconds,
        },
      );
    }
  }

  /**
   * Set a new password (needs recent re-authentication). Every other session of the user ends in
   * the same transaction — whoever else held one may be why the password is being changed.
   */
  async changePassword(session: SessionContext, newPassword: string, origin: RequestOrigin): Promise<{ endedSessions: number }> {
    this.requireRecentReauth(session);
    const passwordHash = await hashPassword(newPassword);
    return this.db.transaction().execute(async (trx) => {
      await this.#store.getUser(session.user.id, trx, true);
      await this.#store.setPasswordHash(trx, session.user.id, passwordHash);
      const endedSessions = await this.#store.endOtherSessions(trx, session.user.id, session.tokenHash);
      await recordForAllBps(this.audit, trx, session, 'user.password_changed', origin, { endedSessions });
      return { endedSessions };
    });
  }

  // ── authorisation ─────────────────────────────────────────────────────────

  /**
   * Check the session's user is a member of `bpId` holding `permission`. Non-members get
   * `not_found` (a BP's existence is not disclosed); members without the role get `insufficient_role`.
   */
  authorize(session: SessionContext, bpId: string, permission: Permission): BpAccess {
    const membership = session.memberships.find((m) => m.bpId === bpId);
    if (!membership) throw new AppError('not_found', `Business Partner ${bpId} was not found.`);
    if (!roleAllows(membership.role, permission)) {
      throw new AppError('insufficient_role', `Your role (${membership.role}) does not allow ${permission}.`, { role: membership.role, permission });
    }
    return { bpId, role: membership.role, actor: userActor(session.user) };
  }

  /** The BP's name and environment (other modules read it through here). */
  getBp(bpId: string): Promise<{ id: string; name: string; environment: 'sandbox' | 'live'; createdAt: Date }> {
    return this.team.getBp(bpId);
  }

  // ── upkeep ────────────────────────────────────────────────────────────────

  /** Development convenience: the demo BP and owner, created only on an empty database. */
  async seedDemo(origin: RequestOrigin): Promise<{ email: string; password: string; bpId: string } | null> {
    const anyUser = await this.db.selectFrom('users').select('id').limit(1).executeTakeFirst();
    if (anyUser) return null;
    const email = 'demo@paygate.local';
    const password = randomBytes(9).toString('base64url');
    const { bpId } = await this.#register({ email, password, name: 'Demo Developer', businessName: 'Demo Business' }, origin);
    return { email, password, bpId };
  }

  /** Remove expired sessions and stale throttle counters; run periodically by the worker. */
  pruneExpired(): Promise<{ sessions: number; throttle: number }> {
    return this.#store.pruneExpired(this.clock.now());
  }

  // ── internals ─────────────────────────────────────────────────────────────

  /** Count the attempt; refuse it with `too_many_attempts` and Retry-After when over a limit. */
  async #admit(email: string, ip: string, now: Date): Promise<ThrottleAdmission> {
    const decision = await this.throttle.admit(email, ip, now);
    if (decision.admitted) return decision;
    const wait = decision.retryAfterSeconds;
    throw new AppError(
      'too_many_attempts',
      `Too many failed attempts. Try again in ${Math.ceil(wait / 60)} minute(s).`,
      { retryAfterSeconds: wait },
      { 'retry-after': String(wait) },
    );
  }

  async #createSession(userId: string, activeBpId: string | null, origin: RequestOrigin, now: Date): Promise<string> {
    const token = randomBytes(SESSION_TOKEN_BYTES).toString('base64url');
    await this.#store.insertSession({
      token_hash: hashToken(token),
      id: newId('ses'),
      user_id: userId,
      active_bp_id: activeBpId,
      csrf_token: newToken(),
      // Having just proven the password counts as a fresh re-authentication.
      reauth_at: now,
      expires_at: new Date(now.getTime() + this.options.sessionTtlSeconds * 1000),
      user_agent: origin.userAgent?.slice(0, 300) ?? null,
      ip: origin.ip,
    });
    return token;
  }
}
