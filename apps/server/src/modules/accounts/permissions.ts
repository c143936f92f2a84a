import type { MemberRole } from '../../db/schema.js';

/** Higher rank can do everything a lower rank can. */
const RANK: Record<MemberRole, number> = { viewer: 0, developer: 1, admin: 2, owner: 3 };

/**
 * Every permission a dashboard route can require, and the lowest role that holds it. This table
 * is the single source of truth for authorisation; docs/accounts.md renders it for people.
 */
export const PERMISSIONS = {
  'bp:read': 'viewer',
  'bp:update': 'owner',
  'team:read': 'viewer',
  'team:manage': 'admin',
  'audit:read': 'developer',
  'notifications:read': 'viewer',
  'usage:read': 'viewer',
  'payments:read': 'viewer',
  'sandbox:use': 'developer',
  'payments:manage': 'admin',
  'callbacks:read': 'developer',
  'callbacks:manage': 'admin',
  'callbacks:resend': 'developer',
  'api_secret:manage': 'admin',
  'keypair:read': 'developer',
  'keypair:manage': 'admin',
  'ip_allowlist:read': 'developer',
  'ip_allowlist:manage': 'admin',
} as const satisfies Record<string, MemberRole>;

export type Permission = keyof typeof PERMISSIONS;

export function roleAllows(role: MemberRole, permission: Permission): boolean {
  return RANK[role] >= RANK[PERMISSIONS[permission]];
}

export function outranks(a: MemberRole, b: MemberRole): boolean {
  return RANK[a] > RANK[b];
}

export const MEMBER_ROLES = ['owner', 'admin', 'developer', 'viewer'] as const satisfies readonly MemberRole[];
