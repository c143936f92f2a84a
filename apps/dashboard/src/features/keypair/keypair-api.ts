import { useQuery } from '@tanstack/react-query';
import { api } from '../../app/api-client';

export interface KeyPair {
  /** `kp_…`: the `keyid` of request signatures. */
  readonly id: string;
  readonly algorithm: 'ed25519';
  /** `SHA256:<base64>` of the raw public key, as OpenSSH prints it. */
  readonly fingerprint: string;
  /** SPKI PEM. */
  readonly publicKey: string;
  readonly source: 'generated' | 'uploaded';
  readonly createdAt: string;
  readonly createdBy: string;
  readonly revokedAt: string | null;
  readonly revokedBy: string | null;
}

export interface KeyPairList {
  readonly active: KeyPair | null;
  readonly revoked: readonly KeyPair[];
}

/** `confirm` must be true when a KeyPair is active: issuing a new one revokes it at once. */
export type IssueKeyPairRequest =
  | { readonly mode: 'generate'; readonly confirm: boolean }
  | { readonly mode: 'upload'; readonly publicKey: string; readonly confirm: boolean };

/** POST /api/bps/:bpId/keypairs. The private key and key file come only for generated keys, and only in this answer. */
export interface IssuedKeyPair {
  readonly keypair: KeyPair;
  readonly privateKey: string | null;
  readonly keyFile: string | null;
  readonly replacedKeyId: string | null;
}

export const keypairsKey = (bpId: string) => ['bp', bpId, 'keypairs'] as const;

export const keypairApi = {
  list: (bpId: string) => api.get<KeyPairList>(`/api/bps/${bpId}/keypairs`),
  issue: (bpId: string, request: IssueKeyPairRequest) => api.post<IssuedKeyPair>(`/api/bps/${bpId}/keypairs`, request),
};

export function useKeyPairs(bpId: string) {
  return useQuery({ queryKey: keypairsKey(bpId), queryFn: () => keypairApi.list(bpId) });
}

/** The name the SDK snippet refers to, so the download and the snippet agree. */
export function keyFileName(keyId: string): string {
  return `paygate-${keyId}.json`;
}
