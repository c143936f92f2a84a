import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, queryString } from '../../app/api-client';
import { type DeliveryFilters, deliveryQueryParams } from './delivery-filters';

export type DeliveryStatus = 'pending' | 'delivering' | 'succeeded' | 'failed';
export type DeliveryErrorClass = 'timeout' | 'refused' | 'dns' | 'tls' | 'blocked' | 'non_2xx' | 'network' | 'signing';

/** One callback message on its way to one URL, with the outcome of its latest attempt. */
export interface Delivery {
  /** `dlv_…` */
  readonly id: string;
  /** `msg_…`: the `webhook-id` header, the same on every attempt and resend. */
  readonly messageId: string;
  readonly kind: string;
  /** Fixed when the delivery was created; later URL changes do not move it. */
  readonly url: string;
  readonly transactionId: string | null;
  readonly status: DeliveryStatus;
  /** Attempts of the current series; a resend starts a new one. */
  readonly attempts: number;
  readonly lastStatusCode: number | null;
  /** "HTTP 500", or "<errorClass>: <message>" for failures without an answer. */
  readonly lastError: string | null;
  /** Only while pending. */
  readonly nextAttemptAt: string | null;
  readonly createdAt: string;
  readonly completedAt: string | null;
}

export interface DeliveryAttempt {
  /** Counts from 1 within a series; a resend starts again at 1. */
  readonly attempt: number;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly statusCode: number | null;
  readonly errorClass: DeliveryErrorClass | null;
  readonly errorMessage: string | null;
  /** Exactly as sent, signatures included; null when the request never left (e.g. a blocked address). */
  readonly requestHeaders: Readonly<Record<string, string>> | null;
  readonly responseHeaders: Readonly<Record<string, unknown>> | null;
  /** The first 2 KiB of the response body. */
  readonly responseExcerpt: string | null;
}

export interface DeliveryDetail {
  readonly delivery: Delivery;
  /** The exact body sent: canonical JSON, the bytes the signatures cover. */
  readonly body: string;
  readonly attempts: readonly DeliveryAttempt[];
}

interface DeliveryPage {
  readonly items: Delivery[];
  readonly nextCursor: string | null;
}

/** How often a list or detail with unfinished deliveries asks again: retries start seconds apart. */
export const ACTIVE_REFRESH_MS = 5_000;
const PAGE_SIZE = 25;
/** The first page has no cursor; typed so later pages can carry one. */
const FIRST_PAGE: string | null = null;

export const deliveriesKey = (bpId: string) => ['bp', bpId, 'deliveries'] as const;

const base = (bpId: string) => `/api/bps/${bpId}/callbacks/deliveries`;

export const deliveriesApi = {
  list: (bpId: string, filters: DeliveryFilters, cursor: string | null) =>
    api.get<DeliveryPage>(`${base(bpId)}${queryString({ ...deliveryQueryParams(filters), limit: PAGE_SIZE, cursor: cursor ?? undefined })}`),
  detail: (bpId: string, deliveryId: string) => api.get<DeliveryDetail>(`${base(bpId)}/${deliveryId}`),
  resend: (bpId: string, deliveryId: string) => api.post<{ queued: true }>(`${base(bpId)}/${deliveryId}/resend`),
  recover: (bpId: string, since: string) => api.post<{ requeued: number }>(`${base(bpId)}/recover`, { since }),
};

export function isActive(status: DeliveryStatus): boolean {
  return status === 'pending' || status === 'delivering';
}

/** Newest first, a page at a time; polls while anything listed is still on its way. */
export function useDeliveries(bpId: string, filters: DeliveryFilters) {
  return useInfiniteQuery({
    queryKey: [...deliveriesKey(bpId), 'list', filters],
    queryFn: ({ pageParam }) => deliveriesApi.list(bpId, filters, pageParam),
    initialPageParam: FIRST_PAGE,
    getNextPageParam: (last) => last.nextCursor,
    // Changing a filter keeps the current rows on screen (dimmed) instead of flashing an empty table.
    // The page is keyed by BP, so these are never another Business Partner's rows.
    placeholderData: (previous) => previous,
    refetchInterval: (query) => (query.state.data?.pages.some((page) => page.items.some((d) => isActive(d.status))) ? ACTIVE_REFRESH_MS : false),
  });
}

/** One delivery with its body and attempts; polls while it is still on its way. */
export function useDelivery(bpId: string, deliveryId: string) {
  return useQuery({
    queryKey: [...deliveriesKey(bpId), 'detail', deliveryId],
    queryFn: () => deliveriesApi.detail(bpId, deliveryId),
    refetchInterval: (query) => (query.state.data !== undefined && isActive(query.state.data.delivery.status) ? ACTIVE_REFRESH_MS : false),
  });
}
