import type { Kysely } from 'kysely';
import { CHANNELS } from '../../db/channels.js';
import { notifyInTransaction } from '../../db/database.js';
import type { DB, MemberRole } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId, newToken } from '../../lib/ids.js';
import type { AuditService } from '../audit/service.js';
import { acceptInvitation, openInvitation } from './invitations.js';
import { outranks } from './permissions.js';
import type { AccountsStore } from './store.js';
import { hashToken } from './tokens.js';
import { type AccessChecks, type BpAccess, type InvitationView, type MemberView, normaliseEmail, type RequestOrigin, type SessionContext } from './types.js';

/**
 * A Business Partner's settings, members and invitations. Changing who holds which role needs
 * recent re-authentication (see `AccessChecks.requireRecentReauth`).
 */
export class TeamService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly store: AccountsStore,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly access: AccessChecks,
    private readonly invitationTtlSeconds: number,
  ) {}

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
    this.access.requireRecentReauth(session);
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
    const access = this.access.authorize(session, bpId, self ? 'bp:read' : 'team:manage');
    this.access.requireRecentReauth(session);
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

  /**
   * Invite someone by e-mail. Returns the invitation and the one-time token for the link. Needs
   * recent re-authentication: whoever joins gets at least read access to the BP's data, and an
   * admin invitation gives away control of it.
   */
  async invite(
    session: SessionContext,
    access: BpAccess,
    input: { email: string; role: Exclude<MemberRole, 'owner'> },
    origin: RequestOrigin,
  ): Promise<{ invitation: InvitationView; token: string }> {
    this.access.requireRecentReauth(session);
    const email = normaliseEmail(input.email);
    const now = this.clock.now();
    const token = newToken();
    const id = newId('inv');
    const expiresAt = new Date(now.getTime() + this.invitationTtlSeconds * 1000);
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
          token_hash: hashToken(token),
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
    const invitation = await openInvitation(this.db, token, this.clock.now());
    const bp = await this.db.selectFrom('bps').select('name').where('id', '=', invitation.bp_id).executeTakeFirstOrThrow();
    const inviter =
      invitation.invited_by === null ? undefined : await this.db.selectFrom('users').select('email').where('id', '=', invitation.invited_by).executeTakeFirst();
    return { bpName: bp.name, email: invitation.email, role: invitation.role, invitedBy: inviter?.email ?? null, expiresAt: invitation.expires_at };
  }

  /** A logged-in user accepts an invitation sent to their e-mail address. */
  async acceptInvitation(session: SessionContext, token: string, origin: RequestOrigin): Promise<string> {
    const now = this.clock.now();
    const bpId = await this.db.transaction().execute(async (trx) => {
      const invitation = await openInvitation(trx, token, now);
      if (normaliseEmail(invitation.email) !== normaliseEmail(session.user.email)) {
        throw new AppError('invitation_email_mismatch', `This invitation was sent to ${invitation.email}, but you are logged in as ${session.user.email}.`);
      }
      if (session.memberships.some((m) => m.bpId === invitation.bp_id))
        throw new AppError('already_member', 'You are already a member of this Business Partner.');
      await acceptInvitation(trx, this.audit, invitation, session.user, origin, now);
      return invitation.bp_id;
    });
    await this.store.setActiveBp(session.tokenHash, bpId);
    return bpId;
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
}
