import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, queryString } from '../../app/api-client';

export interface AuditRecord {
  readonly id: string;
  readonly action: string;
  readonly actor: { readonly type: 'user' | 'api_key' | 'system'; readonly id: string | null; readonly label: string };
  readonly target: { readonly type: string; readonly id: string | null };
  readonly details: Record<string, unknown>;
  readonly requestId: string | null;
  readonly ip: string | null;
  readonly createdAt: string;
}

interface AuditPage {
  readonly items: AuditRecord[];
  readonly nextCursor: string | null;
}

const PAGE_SIZE = 25;
/** The first page has no cursor; typed so later pages can carry one. */
const FIRST_PAGE: string | null = null;

export function useAuditLog(bpId: string, action: string) {
  return useInfiniteQuery({
    queryKey: ['bp', bpId, 'audit-log', action],
    queryFn: ({ pageParam }) =>
      api.get<AuditPage>(`/api/bps/${bpId}/audit-log${queryString({ limit: PAGE_SIZE, cursor: pageParam ?? undefined, action: action || undefined })}`),
    initialPageParam: FIRST_PAGE,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** The actions this Business Partner's log holds, for the filter's choices. */
export function useAuditActions(bpId: string) {
  return useQuery({
    queryKey: ['bp', bpId, 'audit-log', 'actions'],
    queryFn: () => api.get<{ items: string[] }>(`/api/bps/${bpId}/audit-log/actions`),
  });
}
