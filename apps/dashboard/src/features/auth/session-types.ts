export type Role = 'owner' | 'admin' | 'developer' | 'viewer';
export type Environment = 'sandbox' | 'live';

export interface Membership {
  readonly bpId: string;
  readonly bpName: string;
  readonly environment: Environment;
  readonly role: Role;
}

export interface SessionUser {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly totpEnabled: boolean;
}

/** GET /api/session (also returned by sign-up, log-in, BP switch and invitation accept). */
export interface Session {
  readonly user: SessionUser;
  readonly memberships: readonly Membership[];
  readonly activeBpId: string | null;
  readonly csrfToken: string;
  readonly reauthUntil: string | null;
  readonly expiresAt: string;
}
