import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { CHANNELS } from '../../db/channels.js';
import { notifyInTransaction } from '../../db/database.js';
import type { DB, MemberRole, UserRow } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId, newToken } from '../../lib/ids.js';
import type { SecretBox } from '../../lib/secret-box.js';
import type { AuditActor, AuditService } from '../audit/service.js';
import { burnVerification, hashPassword, verifyPassword } from './passwords.js';
import { outranks, type Permission, roleAllows } from './permissions.js';
import type { LoginThrottle } from './throttle.js';
import { checkTotp, generateTotpSecret, totpUri } from './totp.js';

export interface AccountsOptions {
  readonly sessionTtlSeconds: number;
  readonly reauthWindowSeconds: number;
  readonly invitationTtlSeconds: number;
}

/** Where a request came from; recorded with sessions and audit entries. */
export interface RequestOrigin {
  readonly ip: string;
  readonly userAgent: string | null;
  readonly requestId: string;
}

export interface MembershipView {
  readonly bpId: string;
  readonly bpName: string;
  readonly environment: 'sandbox' | 'live';
  readonly role: MemberRole;
}

/** The authenticated dashboard session, as the HTTP layer and other modules see it. */
export interface SessionContext {
  readonly sessionId: string;
  readonly tokenHash: string;
  readonly csrfToken: string;
  readonly user: { readonly id: string; readonly email: string; readonly name: string; readonly totpEnabled: boolean };
  readonly memberships: readonly MembershipView[];
  readonly activeBpId: string | null;
  readonly reauthUntil: Date | null;
  readonly expiresAt: Date;
}

/** A member's standing in one BP, as checked by {@link AccountsService.authorize}. */
export interface BpAccess {
  readonly bpId: string;
  readonly role: MemberRole;
  readonly actor: AuditActor;
}

export interface MemberView {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly role: MemberRole;
  readonly totpEnabled: boolean;
  readonly joinedAt: Date;
}

export interface InvitationView {
  readonly id: string;
  readonly email: string;
  readonly role: Exclude<MemberRole, 'owner'>;
  readonly invitedBy: string | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

export const SESSION_TOKEN_BYTES = 32;

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

function userActor(user: { id: string; email: string }): AuditActor {
  return { type: 'user', id: user.id, label: user.email };
}

/**
 * Business Partners, users, sessions, roles, invitations and two-factor authentication.
 * Knows nothing of HTTP: callers pass tokens and origins in, and get views and {@link AppError}s out.
 */
export class AccountsService {
  readonly #bpCreatedHooks: ((trx: Kysely<DB>, bpId: string, actorLabel: string) => Promise<unknown>)[] = [];

  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditService,
    private readonly throttle: LoginThrottle,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
    private readonly options: AccountsOptions,
  ) {}

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
      const existing = await trx
        .selectFrom('users')
        .select('id')
        .where((eb) => eb(eb.fn('lower', ['email']), '=', email))
        .executeTakeFirst();
      if (existing) throw new AppError('email_taken', 'An account with this e-mail already exists. Log in instead, or use another address.');
      const userId = newId('usr');
      await trx
        .insertInto('users')
        .values({ id: userId, email, name: input.name.trim(), password_hash: passwordHash, totp_secret_enc: null, totp_enabled_at: null, totp_last_step: null })
        .execute();
      const actor: AuditActor = { type: 'user', id: userId, label: email };
      if (input.invitationToken !== undefined) {
        const invitation = await this.#openInvitation(trx, input.invitationToken, now);
        if (normaliseEmail(invitation.email) !== email) {
          throw new AppError('invitation_email_mismatch', `This invitation was sent to ${invitation.email}; sign up with that address.`);
        }
        await this.#acceptInvitation(trx, invitation, { id: userId, email }, origin, now);
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
   * Throttled per account+IP, per account and per IP; a locked key answers `too_many_attempts`
   * before the password is even checked.
   */
  async logIn(input: { email: string; password: string; totpCode?: string | undefined }, origin: RequestOrigin): Promise<{ token: string; userId: string }> {
    const email = normaliseEmail(input.email);
    const now = this.clock.now();
    const wait = await this.throttle.lockedFor(email, origin.ip, now);
    if (wait > 0) throw this.#throttled(wait);

    const user = await this.db
      .selectFrom('users')
      .selectAll()
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email))
      .executeTakeFirst();
    let passwordOk = false;
    if (user) passwordOk = await verifyPassword(user.password_hash, input.password);
    else await burnVerification(input.password);
    if (!user || !passwordOk) {
      await this.throttle.recordFailure(email, origin.ip, now);
      throw new AppError('invalid_credentials', 'E-mail or password is wrong.');
    }
    if (user.totp_enabled_at !== null) {
      if (input.totpCode === undefined || input.totpCode === '') {
        // The password was right; asking for the second factor is not a failure.
        throw new AppError('totp_required', 'Enter the 6-digit code from your authenticator app.');
      }
      if (!(await this.#consumeTotp(this.db, user, input.totpCode, now))) {
        await this.throttle.recordFailure(email, origin.ip, now);
        throw new AppError('totp_invalid', 'The two-factor code is wrong or was already used; wait for the next code.');
      }
    }
    await this.throttle.recordSuccess(email, origin.ip);
    const first = await this.db.selectFrom('memberships').select('bp_id').where('user_id', '=', user.id).orderBy('created_at').executeTakeFirst();
    const token = await this.#createSession(user.id, first?.bp_id ?? null, origin, now);
    return { token, userId: user.id };
  }

  async logOut(tokenHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
  }

  /** Resolve a session cookie; null when missing, unknown or expired. Slides `last_seen_at`. */
  async resolveSession(token: string | undefined): Promise<SessionContext | null> {
    if (token === undefined || token.length < 20 || token.length > 100) return null;
    const tokenHash = sha256(token);
    const now = this.clock.now();
    const row = await this.db
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
    if (!row || row.expires_at <= now) return null;
    if (now.getTime() - row.last_seen_at.getTime() > 60_000) {
      await this.db.updateTable('sessions').set({ last_seen_at: now }).where('token_hash', '=', tokenHash).execute();
    }
    const memberships = await this.#memberships(row.user_id);
    const activeBpId = memberships.some((m) => m.bpId === row.active_bp_id) ? row.active_bp_id : (memberships[0]?.bpId ?? null);
    const reauthUntil = row.reauth_at === null ? null : new Date(row.reauth_at.getTime() + this.options.reauthWindowSeconds * 1000);
    return {
      sessionId: row.session_id,
      tokenHash,
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
    await this.db.updateTable('sessions').set({ active_bp_id: bpId }).where('token_hash', '=', session.tokenHash).execute();
  }

  // ── re-authentication ─────────────────────────────────────────────────────

  /**
   * Confirm the user's identity again (password, or a TOTP code when two-factor is on). Opens a
   * window of `reauthWindowSeconds` during which sensitive actions are allowed. Throttled like log-in.
   */
  async reauthenticate(session: SessionContext, proof: { password?: string | undefined; totpCode?: string | undefined }, origin: RequestOrigin): Promise<Date> {
    const now = this.clock.now();
    const wait = await this.throttle.lockedFor(session.user.email, origin.ip, now);
    if (wait > 0) throw this.#throttled(wait);
    const user = await this.db.selectFrom('users').selectAll().where('id', '=', session.user.id).executeTakeFirstOrThrow();
    let ok = false;
    if (proof.totpCode !== undefined && user.totp_enabled_at !== null) ok = await this.#consumeTotp(this.db, user, proof.totpCode, now);
    else if (proof.password !== undefined) ok = await verifyPassword(user.password_hash, proof.password);
    if (!ok) {
      await this.throttle.recordFailure(session.user.email, origin.ip, now);
      throw new AppError('reauth_invalid', 'That password or code is not right.');
    }
    await this.db.updateTable('sessions').set({ reauth_at: now }).where('token_hash', '=', session.tokenHash).execute();
    return new Date(now.getTime() + this.options.reauthWindowSeconds * 1000);
  }

  /**
   * The helper later features call before a sensitive action (keypair refresh, secret reveal, …).
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

  // ── two-factor ────────────────────────────────────────────────────────────

  async beginTotpSetup(session: SessionContext): Promise<{ secret: string; otpauthUri: string }> {
    const user = await this.db.selectFrom('users').select(['totp_enabled_at']).where('id', '=', session.user.id).executeTakeFirstOrThrow();
    if (user.totp_enabled_at !== null)
      throw new AppError('totp_already_enabled', 'Two-factor authentication is already on. Turn it off first to enrol a new device.');
    const secret = generateTotpSecret();
    await this.db
      .updateTable('users')
      .set({ totp_secret_enc: this.secrets.seal(secret, `totp:${session.user.id}`), totp_last_step: null })
      .where('id', '=', session.user.id)
      .execute();
    return { secret, otpauthUri: totpUri(secret, session.user.email) };
  }

  async enableTotp(session: SessionContext, code: string, origin: RequestOrigin): Promise<void> {
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      const user = await trx.selectFrom('users').selectAll().where('id', '=', session.user.id).forUpdate().executeTakeFirstOrThrow();
      if (user.totp_enabled_at !== null) throw new AppError('totp_already_enabled', 'Two-factor authentication is already on.');
      if (user.totp_secret_enc === null) throw new AppError('totp_setup_missing', 'Start two-factor setup first to get a secret.');
      if (!(await this.#consumeTotp(trx, user, code, now)))
        throw new AppError('totp_invalid', 'That code does not match; check the time on your device and try the next code.');
      await trx.updateTable('users').set({ totp_enabled_at: now }).where('id', '=', user.id).execute();
      await this.#recordForAllBps(trx, session, 'user.totp_enabled', origin);
    });
  }

  async disableTotp(session: SessionContext, origin: RequestOrigin): Promise<void> {
    this.requireRecentReauth(session);
    await this.db.transaction().execute(async (trx) => {
      const user = await trx.selectFrom('users').select(['totp_enabled_at']).where('id', '=', session.user.id).forUpdate().executeTakeFirstOrThrow();
      if (user.totp_enabled_at === null) throw new AppError('totp_not_enabled', 'Two-factor authentication is not on.');
      await trx.updateTable('users').set({ totp_enabled_at: null, totp_secret_enc: null, totp_last_step: null }).where('id', '=', session.user.id).execute();
      await this.#recordForAllBps(trx, session, 'user.totp_disabled', origin);
    });
  }

  // ── BPs, members, invitations ─────────────────────────────────────────────

  async getBp(bpId: string): Promise<{ id: string; name: string; environment: 'sandbox' | 'live'; createdAt: Date }> {
    const bp = await this.db.selectFrom('bps').selectAll().where('id', '=', bpId).executeTakeFirst();
    if (!bp) throw new AppError('not_found', `Business Partner ${bpId} was not found.`);
    return { id: bp.id, name: bp.name, environment: bp.environment, createdAt: bp.created_at };
  }

  async renameBp(access: BpAccess, name: string, origin: RequestOrigin): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('bps').select('name').where('id', '=', access.bpId).forUpdate().executeTakeFirstOrThrow();
      await trx.updateTable('bps').set({ name }).where('id', '=', access.bpId).execute();
      await notifyInTransaction(trx, CHANNELS.credentials, access.bpId);
      await this.audit.record(trx, {
        bpId: access.bpId,
        actor: access.actor,
        action: 'bp.renamed',
        target: { type: 'bp', id: access.bpId },
        details: { from: before.name, to: name },
        requestId: origin.requestId,
        ip: origin.ip,
      });
    });
  }

  async listMembers(bpId: string): Promise<MemberView[]> {
    const rows = await this.db
      .selectFrom('memberships as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select(['u.id', 'u.email', 'u.name', 'u.totp_enabled_at', 'm.role', 'm.created_at'])
      .where('m.bp_id', '=', bpId)
      .orderBy('m.created_at')
      .execute();
    return rows.map((r) => ({ userId: r.id, email: r.email, name: r.name, role: r.role, totpEnabled: r.totp_enabled_at !== null, joinedAt: r.created_at }));
  }

  /**
   * Change a member's role. Admins manage admins and below; only owners grant or take away
   * ownership; the last owner cannot be demoted. Needs recent re-authentication.
   */
  async changeRole(session: SessionContext, access: BpAccess, userId: string, role: MemberRole, origin: RequestOrigin): Promise<MemberView> {
    this.requireRecentReauth(session);
    await this.db.transaction().execute(async (trx) => {
      const target = await trx
        .selectFrom('memberships')
        .select('role')
        .where('bp_id', '=', access.bpId)
        .where('user_id', '=', userId)
        .forUpdate()
        .executeTakeFirst();
      if (!target) throw new AppError('not_found', `User ${userId} is not a member of this Business Partner.`);
      if ((role === 'owner' || target.role === 'owner') && access.role !== 'owner') {
        throw new AppError('insufficient_role', 'Only an owner can grant or take away the owner role.', { role: access.role });
      }
      if (target.role === 'owner' && role !== 'owner') await this.#assertAnotherOwner(trx, access.bpId, userId);
      await trx.updateTable('memberships').set({ role }).where('bp_id', '=', access.bpId).where('user_id', '=', userId).execute();
      const auditId = await this.audit.record(trx, {
        bpId: access.bpId,
        actor: access.actor,
        action: 'member.role_changed',
        target: { type: 'user', id: userId },
        details: { from: target.role, to: role },
        requestId: origin.requestId,
        ip: origin.ip,
      });
      await this.audit.notify(trx, {
        bpId: access.bpId,
        title: 'Team role changed',
        body: `${access.actor.label} changed a member's role from ${target.role} to ${role}.`,
        link: '/developers/team',
        auditId,
      });
    });
    const member = (await this.listMembers(access.bpId)).find((m) => m.userId === userId);
    if (!member) throw new AppError('not_found', `User ${userId} is not a member of this Business Partner.`);
    return member;
  }

  /** Remove a member (admins and owners; anyone may remove themselves). Needs recent re-authentication. */
  async removeMember(session: SessionContext, bpId: string, userId: string, origin: RequestOrigin): Promise<void> {
    const self = userId === session.user.id;
    const access = this.authorize(session, bpId, self ? 'bp:read' : 'team:manage');
    this.requireRecentReauth(session);
    await this.db.transaction().execute(async (trx) => {
      const target = await trx.selectFrom('memberships').select('role').where('bp_id', '=', bpId).where('user_id', '=', userId).forUpdate().executeTakeFirst();
      if (!target) throw new AppError('not_found', `User ${userId} is not a member of this Business Partner.`);
      if (!self && outranks(target.role, access.role))
        throw new AppError('insufficient_role', `Your role (${access.role}) cannot remove an ${target.role}.`, { role: access.role });
      if (target.role === 'owner') await this.#assertAnotherOwner(trx, bpId, userId);
      await trx.deleteFrom('memberships').where('bp_id', '=', bpId).where('user_id', '=', userId).execute();
      await trx.updateTable('sessions').set({ active_bp_id: null }).where('user_id', '=', userId).where('active_bp_id', '=', bpId).execute();
      const auditId = await this.audit.record(trx, {
        bpId,
        actor: access.actor,
        action: self ? 'member.left' : 'member.removed',
        target: { type: 'user', id: userId },
        details: { role: target.role },
        requestId: origin.requestId,
        ip: origin.ip,
      });
      await this.audit.notify(trx, {
        bpId,
        title: self ? 'A member left the team' : 'A member was removed',
        body: `${access.actor.label} ${self ? 'left the team' : `removed a ${target.role} from the team`}.`,
        link: '/developers/team',
        auditId,
      });
    });
  }

  /** Invite someone by e-mail. Returns the invitation and the one-time token for the link. */
  async invite(
    access: BpAccess,
    input: { email: string; role: Exclude<MemberRole, 'owner'> },
    origin: RequestOrigin,
  ): Promise<{ invitation: InvitationView; token: string }> {
    const email = normaliseEmail(input.email);
    const now = this.clock.now();
    const token = newToken();
    const id = newId('inv');
    const expiresAt = new Date(now.getTime() + this.options.invitationTtlSeconds * 1000);
    if (input.role === 'admin' && access.role !== 'owner' && access.role !== 'admin') {
      throw new AppError('insufficient_role', 'Only owners and admins can invite admins.');
    }
    await this.db.transaction().execute(async (trx) => {
      const member = await trx
        .selectFrom('memberships as m')
        .innerJoin('users as u', 'u.id', 'm.user_id')
        .select('u.id')
        .where('m.bp_id', '=', access.bpId)
        .where((eb) => eb(eb.fn('lower', ['u.email']), '=', email))
        .executeTakeFirst();
      if (member) throw new AppError('already_member', `${email} is already a member of this Business Partner.`);
      // A new invitation to the same address replaces any pending one.
      await trx
        .updateTable('invitations')
        .set({ revoked_at: now })
        .where('bp_id', '=', access.bpId)
        .where('email', '=', email)
        .where('accepted_at', 'is', null)
        .where('revoked_at', 'is', null)
        .execute();
      await trx
        .insertInto('invitations')
        .values({
          id,
          bp_id: access.bpId,
          email,
          role: input.role,
          token_hash: sha256(token),
          invited_by: access.actor.id,
          expires_at: expiresAt,
          accepted_at: null,
          accepted_by: null,
          revoked_at: null,
        })
        .execute();
      const auditId = await this.audit.record(trx, {
        bpId: access.bpId,
        actor: access.actor,
        action: 'member.invited',
        target: { type: 'invitation', id },
        details: { email, role: input.role },
        requestId: origin.requestId,
        ip: origin.ip,
      });
      await this.audit.notify(trx, {
        bpId: access.bpId,
        title: 'Team member invited',
        body: `${access.actor.label} invited ${email} as ${input.role}.`,
        link: '/developers/team',
        auditId,
      });
    });
    return { invitation: { id, email, role: input.role, invitedBy: access.actor.label, createdAt: now, expiresAt }, token };
  }

  async listInvitations(bpId: string): Promise<InvitationView[]> {
    const rows = await this.db
      .selectFrom('invitations as i')
      .leftJoin('users as u', 'u.id', 'i.invited_by')
      .select(['i.id', 'i.email', 'i.role', 'i.created_at', 'i.expires_at', 'u.email as invited_by'])
      .where('i.bp_id', '=', bpId)
      .where('i.accepted_at', 'is', null)
      .where('i.revoked_at', 'is', null)
      .where('i.expires_at', '>', this.clock.now())
      .orderBy('i.created_at', 'desc')
      .execute();
    return rows.map((r) => ({ id: r.id, email: r.email, role: r.role, invitedBy: r.invited_by, createdAt: r.created_at, expiresAt: r.expires_at }));
  }

  async revokeInvitation(access: BpAccess, invitationId: string, origin: RequestOrigin): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('invitations')
        .set({ revoked_at: this.clock.now() })
        .where('id', '=', invitationId)
        .where('bp_id', '=', access.bpId)
        .where('accepted_at', 'is', null)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) throw new AppError('not_found', `No pending invitation ${invitationId}.`);
      await this.audit.record(trx, {
        bpId: access.bpId,
        actor: access.actor,
        action: 'invitation.revoked',
        target: { type: 'invitation', id: invitationId },
        requestId: origin.requestId,
        ip: origin.ip,
      });
    });
  }

  /** What the invitation page shows before the invitee signs up or logs in. */
  async previewInvitation(token: string): Promise<{ bpName: string; email: string; role: string; invitedBy: string | null; expiresAt: Date }> {
    const invitation = await this.#openInvitation(this.db, token, this.clock.now());
    const bp = await this.db.selectFrom('bps').select('name').where('id', '=', invitation.bp_id).executeTakeFirstOrThrow();
    const inviter =
      invitation.invited_by === null ? undefined : await this.db.selectFrom('users').select('email').where('id', '=', invitation.invited_by).executeTakeFirst();
    return { bpName: bp.name, email: invitation.email, role: invitation.role, invitedBy: inviter?.email ?? null, expiresAt: invitation.expires_at };
  }

  /** A logged-in user accepts an invitation sent to their e-mail address. */
  async acceptInvitation(session: SessionContext, token: string, origin: RequestOrigin): Promise<string> {
    const now = this.clock.now();
    const bpId = await this.db.transaction().execute(async (trx) => {
      const invitation = await this.#openInvitation(trx, token, now);
      if (normaliseEmail(invitation.email) !== normaliseEmail(session.user.email)) {
        throw new AppError('invitation_email_mismatch', `This invitation was sent to ${invitation.email}, but you are logged in as ${session.user.email}.`);
      }
      if (session.memberships.some((m) => m.bpId === invitation.bp_id))
        throw new AppError('already_member', 'You are already a member of this Business Partner.');
      await this.#acceptInvitation(trx, invitation, session.user, origin, now);
      return invitation.bp_id;
    });
    await this.db.updateTable('sessions').set({ active_bp_id: bpId }).where('token_hash', '=', session.tokenHash).execute();
    return bpId;
  }

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
  async pruneExpired(): Promise<{ sessions: number; throttle: number }> {
    const now = this.clock.now();
    const sessions = await this.db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
    const throttle = await this.db
      .deleteFrom('login_throttle')
      .where('window_start', '<', new Date(now.getTime() - 24 * 3600 * 1000))
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .executeTakeFirst();
    return { sessions: Number(sessions.numDeletedRows), throttle: Number(throttle.numDeletedRows) };
  }

  // ── internals ─────────────────────────────────────────────────────────────

  #throttled(waitSeconds: number): AppError {
    return new AppError(
      'too_many_attempts',
      `Too many failed attempts. Try again in ${Math.ceil(waitSeconds / 60)} minute(s).`,
      { retryAfterSeconds: waitSeconds },
      { 'retry-after': String(waitSeconds) },
    );
  }

  async #createSession(userId: string, activeBpId: string | null, origin: RequestOrigin, now: Date): Promise<string> {
    const token = randomBytes(SESSION_TOKEN_BYTES).toString('base64url');
    await this.db
      .insertInto('sessions')
      .values({
        token_hash: sha256(token),
        id: newId('ses'),
        user_id: userId,
        active_bp_id: activeBpId,
        csrf_token: newToken(),
        // Having just proven the password counts as a fresh re-authentication.
        reauth_at: now,
        expires_at: new Date(now.getTime() + this.options.sessionTtlSeconds * 1000),
        user_agent: origin.userAgent?.slice(0, 300) ?? null,
        ip: origin.ip,
      })
      .execute();
    return token;
  }

  async #memberships(userId: string): Promise<MembershipView[]> {
    const rows = await this.db
      .selectFrom('memberships as m')
      .innerJoin('bps as b', 'b.id', 'm.bp_id')
      .select(['b.id', 'b.name', 'b.environment', 'm.role'])
      .where('m.user_id', '=', userId)
      .orderBy('m.created_at')
      .execute();
    return rows.map((r) => ({ bpId: r.id, bpName: r.name, environment: r.environment, role: r.role }));
  }

  async #consumeTotp(executor: Kysely<DB>, user: UserRow, code: string, now: Date): Promise<boolean> {
    if (user.totp_secret_enc === null) return false;
    const step = checkTotp(this.secrets.open(user.totp_secret_enc, `totp:${user.id}`), code.trim(), now);
    if (step === null) return false;
    // Conditional update: succeeds only for a step newer than the last one used, even under races.
    const result = await executor
      .updateTable('users')
      .set({ totp_last_step: String(step) })
      .where('id', '=', user.id)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', String(step))]))
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async #assertAnotherOwner(executor: Kysely<DB>, bpId: string, exceptUserId: string): Promise<void> {
    const other = await executor
      .selectFrom('memberships')
      .select('user_id')
      .where('bp_id', '=', bpId)
      .where('role', '=', 'owner')
      .where('user_id', '!=', exceptUserId)
      .executeTakeFirst();
    if (!other) throw new AppError('last_owner', 'This is the only owner. Make another member owner first.');
  }

  async #openInvitation(executor: Kysely<DB>, token: string, now: Date) {
    const invitation = await executor.selectFrom('invitations').selectAll().where('token_hash', '=', sha256(token)).executeTakeFirst();
    if (!invitation || invitation.accepted_at !== null || invitation.revoked_at !== null || invitation.expires_at <= now) {
      throw new AppError('invitation_invalid', 'This invitation link is expired, revoked or already used. Ask a team admin for a new one.');
    }
    return invitation;
  }

  async #acceptInvitation(
    trx: Kysely<DB>,
    invitation: { id: string; bp_id: string; role: Exclude<MemberRole, 'owner'> },
    user: { id: string; email: string },
    origin: RequestOrigin,
    now: Date,
  ): Promise<void> {
    const claimed = await trx
      .updateTable('invitations')
      .set({ accepted_at: now, accepted_by: user.id })
      .where('id', '=', invitation.id)
      .where('accepted_at', 'is', null)
      .executeTakeFirst();
    if (claimed.numUpdatedRows === 0n) throw new AppError('invitation_invalid', 'This invitation was just used.');
    await trx.insertInto('memberships').values({ bp_id: invitation.bp_id, user_id: user.id, role: invitation.role }).execute();
    const auditId = await this.audit.record(trx, {
      bpId: invitation.bp_id,
      actor: userActor(user),
      action: 'member.joined',
      target: { type: 'user', id: user.id },
      details: { role: invitation.role, invitationId: invitation.id },
      requestId: origin.requestId,
      ip: origin.ip,
    });
    await this.audit.notify(trx, {
      bpId: invitation.bp_id,
      title: 'New team member',
      body: `${user.email} joined the team as ${invitation.role}.`,
      link: '/developers/team',
      auditId,
    });
  }

  async #recordForAllBps(trx: Kysely<DB>, session: SessionContext, action: string, origin: RequestOrigin): Promise<void> {
    for (const m of session.memberships) {
      await this.audit.record(trx, {
        bpId: m.bpId,
        actor: userActor(session.user),
        action,
        target: { type: 'user', id: session.user.id },
        requestId: origin.requestId,
        ip: origin.ip,
      });
    }
  }
}
