import { api } from '../../app/api-client';
import type { Session } from './session-types';

export interface SignUpInput {
  readonly email: string;
  readonly password: string;
  readonly name: string;
  readonly businessName?: string;
  readonly invitationToken?: string;
}

export interface LogInInput {
  readonly email: string;
  readonly password: string;
  readonly totpCode?: string;
}

/** Password or a current two-factor code; the server accepts either. */
export type ReauthProof = { readonly password: string } | { readonly totpCode: string };

export const authApi = {
  signUp: (input: SignUpInput) => api.post<Session>('/api/auth/signup', input),
  logIn: (input: LogInInput) => api.post<Session>('/api/auth/login', input),
  logOut: () => api.postEmpty('/api/auth/logout'),
  reauth: (proof: ReauthProof) => api.post<{ reauthUntil: string }>('/api/auth/reauth', proof),
  switchBp: (bpId: string) => api.put<Session>('/api/session/active-bp', { bpId }),
};

/** Minimum password length the server enforces on sign-up. */
export const PASSWORD_MIN_LENGTH = 10;
