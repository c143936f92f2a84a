import type { MemberRole } from '../../db/schema.js';
import type { AuditActor } from '../audit/service.js';
import type { Permission } from './permissions.js';

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

/** A member's standing in one BP, as checked by `AccountsService.authorize`. */
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

/** The checks every dashboard action makes; implemented by `AccountsService`. */
export interface AccessChecks {
  /** The session's standing in `bpId` when it holds `permission`; throws `not_found` / `insufficient_role` otherwise. */
  authorize(session: SessionContext, bpId: string, permission: Permission): BpAccess;
  /** Throws `reauth_required` unless the session proved its user's identity within the window. */
  requireRecentReauth(session: SessionContext): void;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function userActor(user: { id: string; email: string }): AuditActor {
  return { type: 'user', id: user.id, label: user.email };
}
