import { useQuery } from '@tanstack/react-query';
import { api } from '../../app/api-client';

/** An active API secret as listed: metadata only, never the value. */
export interface ApiSecret {
  /** `sec_…` */
  readonly id: string;
  /** The first 12 hex digits of the SHA-256 of the secret, to tell secrets apart without showing them. */
  readonly fingerprint: string;
  readonly createdAt: string;
  readonly createdBy: string;
  /** Set on the previous secret during a rotation's overlap: when it stops signing. */
  readonly expiresAt: string | null;
}

/** POST …/api-secret/reveal: the value comes only in this answer, and only to owners and admins. */
export interface RevealedSecret extends ApiSecret {
  /** `whsec_…` */
  readonly secret: string;
}

/** POST …/api-secret/rotate (201). */
export interface RotatedSecret {
  readonly id: string;
  readonly secret: string;
  /** When the secrets active before the rotation stop signing; now, for a rotation without overlap. */
  readonly previousExpiresAt: string;
}

export const apiSecretsKey = (bpId: string) => ['bp', bpId, 'api-secrets'] as const;

const base = (bpId: string) => `/api/bps/${bpId}/api-secret`;

export const apiSecretApi = {
  list: (bpId: string) => api.get<{ items: ApiSecret[] }>(base(bpId)),
  reveal: (bpId: string) => api.post<{ items: RevealedSecret[] }>(`${base(bpId)}/reveal`),
  rotate: (bpId: string, overlapSeconds: number) => api.post<RotatedSecret>(`${base(bpId)}/rotate`, { overlapSeconds }),
};

/** Active secrets, oldest first: during a rotation's overlap the previous one comes before the new one. */
export function useApiSecrets(bpId: string) {
  return useQuery({ queryKey: apiSecretsKey(bpId), queryFn: () => apiSecretApi.list(bpId), select: (result) => result.items });
}
