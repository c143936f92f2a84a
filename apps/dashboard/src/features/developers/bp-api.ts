import { useQuery } from '@tanstack/react-query';
import { api } from '../../app/api-client';
import type { Environment, Role } from '../auth/session-types';

export interface BusinessPartner {
  readonly id: string;
  readonly name: string;
  readonly environment: Environment;
  readonly createdAt: string;
  readonly role: Role;
}

export const bpKey = (bpId: string) => ['bp', bpId, 'details'] as const;

export const bpApi = {
  get: (bpId: string) => api.get<BusinessPartner>(`/api/bps/${bpId}`),
  rename: (bpId: string, name: string) => api.patch<BusinessPartner>(`/api/bps/${bpId}`, { name }),
};

export function useBusinessPartner(bpId: string) {
  return useQuery({ queryKey: bpKey(bpId), queryFn: () => bpApi.get(bpId) });
}
