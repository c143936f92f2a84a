import { useQuery } from '@tanstack/react-query';
import { api } from '../../app/api-client';
import type { Role } from '../auth/session-types';

export interface Member {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly totpEnabled: boolean;
  readonly joinedAt: string;
}

export interface Invitation {
  readonly id: string;
  readonly email: string;
  readonly role: Role;
  readonly invitedBy: string | null;
  readonly createdAt: string;
  readonly expiresAt: string;
}

export interface CreatedInvitation {
  readonly invitation: Invitation;
  /** The only time the link is available; the server stores just a hash of its token. */
  readonly url: string;
}

export const teamKeys = {
  members: (bpId: string) => ['bp', bpId, 'members'] as const,
  invitations: (bpId: string) => ['bp', bpId, 'invitations'] as const,
};

const base = (bpId: string) => `/api/bps/${bpId}`;

export const teamApi = {
  members: (bpId: string) => api.get<{ items: Member[] }>(`${base(bpId)}/members`),
  changeRole: (bpId: string, userId: string, role: Role) => api.patch<Member>(`${base(bpId)}/members/${userId}`, { role }),
  removeMember: (bpId: string, userId: string) => api.delete(`${base(bpId)}/members/${userId}`),
  invitations: (bpId: string) => api.get<{ items: Invitation[] }>(`${base(bpId)}/invitations`),
  invite: (bpId: string, email: string, role: Role) => api.post<CreatedInvitation>(`${base(bpId)}/invitations`, { email, role }),
  revokeInvitation: (bpId: string, invitationId: string) => api.delete(`${base(bpId)}/invitations/${invitationId}`),
};

export function useMembers(bpId: string) {
  return useQuery({ queryKey: teamKeys.members(bpId), queryFn: () => teamApi.members(bpId), select: (page) => page.items });
}

export function useInvitations(bpId: string) {
  return useQuery({ queryKey: teamKeys.invitations(bpId), queryFn: () => teamApi.invitations(bpId), select: (page) => page.items });
}
