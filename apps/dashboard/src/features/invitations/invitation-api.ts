import { api } from '../../app/api-client';
import type { Session } from '../auth/session-types';

/** GET /api/invitations/:token — readable without logging in. */
export interface InvitationPreview {
  readonly bpName: string;
  readonly email: string;
  readonly role: string;
  readonly invitedBy: string | null;
  readonly expiresAt: string;
}

const path = (token: string) => `/api/invitations/${encodeURIComponent(token)}`;

export const invitationApi = {
  preview: (token: string) => api.get<InvitationPreview>(path(token)),
  accept: (token: string) => api.post<Session>(`${path(token)}/accept`),
};

export const invitationKey = (token: string) => ['invitation', token] as const;
