import type { Kysely } from 'kysely';
import type { DB, MemberRole } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import type { AuditService } from '../audit/service.js';
import { hashToken } from './tokens.js';
import { type RequestOrigin, userActor } from './types.js';

/** The pending invitation a link's token stands for; `invitation_invalid` when expired, revoked or used. */
export async function openInvitation(executor: Kysely<DB>, token: string, now: Date) {
  const invitation = await executor.selectFrom('invitations').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst();
  if (!invitation || invitation.accepted_at !== null || invitation.revoked_at !== null || invitation.expires_at <= now) {
    throw new AppError('invitation_invalid', 'This invitation link is expired, revoked or already used. Ask a team admin for a new one.');
  }
  return invitation;
}

/**
 * Claim the invitation for `user` and add the membership, inside the caller's transaction (sign-up
 * or accept). The claim is a conditional update, so a link works once even under races.
 */
export async function acceptInvitation(
  trx: Kysely<DB>,
  audit: AuditService,
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
  const auditId = await audit.record(trx, {
    bpId: invitation.bp_id,
    actor: userActor(user),
    action: 'member.joined',
    target: { type: 'user', id: user.id },
    details: { role: invitation.role, invitationId: invitation.id },
    requestId: origin.requestId,
    ip: origin.ip,
  });
  await audit.notify(trx, {
    bpId: invitation.bp_id,
    title: 'New team member',
    body: `${user.email} joined the team as ${invitation.role}.`,
    link: '/developers/team',
    auditId,
  });
}
