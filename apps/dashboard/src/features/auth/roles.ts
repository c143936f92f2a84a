import type { Role } from './session-types';

/** Mirrors the server's ranking: a higher role can do everything a lower one can. */
const RANK: Record<Role, number> = { viewer: 0, developer: 1, admin: 2, owner: 3 };

export const ROLES: readonly Role[] = ['owner', 'admin', 'developer', 'viewer'];
export const INVITABLE_ROLES: readonly Role[] = ['admin', 'developer', 'viewer'];

export const ROLE_LABELS: Record<Role, string> = { owner: 'Owner', admin: 'Admin', developer: 'Developer', viewer: 'Viewer' };

export function roleAtLeast(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}

export function outranks(a: Role, b: Role): boolean {
  return RANK[a] > RANK[b];
}
