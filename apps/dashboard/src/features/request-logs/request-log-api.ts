import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, queryString } from '../../app/api-client';
import { filtersToParams, type RequestFilters } from './request-filters';

/** One signed /v1 request as the request log keeps it. */
export interface RequestLogEntry {
  /** The `x-request-id` the response carried. */
  readonly requestId: string;
  readonly occurredAt: string;
  readonly keyId: string | null;
  readonly method: string;
  readonly route: string;
  readonly status: number;
  readonly durationMs: number;
  readonly clientIp: string | null;
  /** The problem code of a refused request, e.g. `signature_expired`. */
  readonly errorCode: string | null;
  /** The message the API answered with (null for successes and older entries). */
  readonly errorMessage: string | null;
}

interface RequestLogPage {
  readonly items: RequestLogEntry[];
  readonly nextCursor: string | null;
  /** Routes seen recently, for the route filter. */
  readonly routes: string[];
}

const PAGE_SIZE = 50;
/** The first page has no cursor; typed so later pages can carry one. */
const FIRST_PAGE: string | null = null;

export const requestLogKey = (bpId: string) => ['bp', bpId, 'request-log'] as const;

export function useRequestLog(bpId: string, filters: RequestFilters) {
  return useInfiniteQuery({
    queryKey: [...requestLogKey(bpId), filters],
    queryFn: ({ pageParam }) =>
      api.get<RequestLogPage>(
        `/api/bps/${bpId}/usage/requests${queryString({ ...filtersToParams(filters), limit: PAGE_SIZE, cursor: pageParam ?? undefined })}`,
      ),
    initialPageParam: FIRST_PAGE,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** One request by id; a row that is already on screen is shown at once from `initial`. */
export function useRequestLogEntry(bpId: string, requestId: string, initial: RequestLogEntry | undefined) {
  return useQuery({
    queryKey: [...requestLogKey(bpId), 'entry', requestId],
    queryFn: () => api.get<RequestLogEntry>(`/api/bps/${bpId}/usage/requests/${encodeURIComponent(requestId)}`),
    initialData: initial,
    // A log entry never changes once written.
    staleTime: Number.POSITIVE_INFINITY,
  });
}
