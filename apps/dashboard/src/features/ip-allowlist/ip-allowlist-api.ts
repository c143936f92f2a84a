import { useQuery } from '@tanstack/react-query';
import { api } from '../../app/api-client';

export interface AllowlistEntry {
  /** Normalised by the server: a single address becomes /32 or /128. */
  readonly cidr: string;
  readonly label: string;
  readonly createdAt: string;
  readonly createdBy: string;
}

/** GET and PUT /api/bps/:bpId/ip-allowlist answer with the same document. */
export interface IpAllowlist {
  readonly entries: readonly AllowlistEntry[];
  /** Addresses Paygate sends callbacks from; empty when the operator has not configured them. */
  readonly callbackSourceIps: readonly string[];
  /** The dashboard's own address as Paygate sees it. */
  readonly yourIp: string;
  /** Set while the list is empty, i.e. any address can use the KeyPair. */
  readonly recommendation: string | null;
}

export interface AllowlistEntryInput {
  readonly cidr: string;
  readonly label?: string;
}

export const ipAllowlistKey = (bpId: string) => ['bp', bpId, 'ip-allowlist'] as const;

export const ipAllowlistApi = {
  get: (bpId: string) => api.get<IpAllowlist>(`/api/bps/${bpId}/ip-allowlist`),
  /** Replaces the whole list; an empty list allows any address. */
  replace: (bpId: string, entries: readonly AllowlistEntryInput[]) => api.put<IpAllowlist>(`/api/bps/${bpId}/ip-allowlist`, { entries }),
};

export function useIpAllowlist(bpId: string) {
  return useQuery({ queryKey: ipAllowlistKey(bpId), queryFn: () => ipAllowlistApi.get(bpId) });
}
