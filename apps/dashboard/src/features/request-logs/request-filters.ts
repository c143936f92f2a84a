import { queryString } from '../../app/api-client';
import type { SelectOption } from '../../ui/select-field';

/** The explorer's filters as the address bar holds them; '' means "any". Times are ISO instants. */
export interface RequestFilters {
  readonly status: string;
  readonly route: string;
  readonly keyId: string;
  readonly from: string;
  readonly to: string;
}

const FILTER_NAMES = ['status', 'route', 'keyId', 'from', 'to'] as const;

export const NO_FILTERS: RequestFilters = { status: '', route: '', keyId: '', from: '', to: '' };

export const REQUEST_LOGS_PATH = '/developers/request-logs';

/** The server's format for KeyPair ids; anything else it refuses. */
export const KEY_ID_PATTERN = /^kp_[0-9a-z]{26}$/;

export const STATUS_FILTERS: readonly SelectOption[] = [
  { value: '', label: 'All statuses' },
  { value: 'errors', label: 'Errors (≥ 400)' },
  { value: '2xx', label: '2xx Success' },
  { value: '3xx', label: '3xx Redirect' },
  { value: '4xx', label: '4xx Client error' },
  { value: '5xx', label: '5xx Server error' },
];

export function filtersFromSearch(params: URLSearchParams): RequestFilters {
  const read = (name: (typeof FILTER_NAMES)[number]) => params.get(name)?.trim() ?? '';
  return { status: read('status'), route: read('route'), keyId: read('keyId'), from: read('from'), to: read('to') };
}

/** The filters that are set, as query parameters (for the address bar and the API alike). */
export function filtersToParams(filters: Partial<RequestFilters>): Record<string, string> {
  const params: Record<string, string> = {};
  for (const name of FILTER_NAMES) {
    const value = filters[name];
    if (value !== undefined && value !== '') params[name] = value;
  }
  return params;
}

export function hasFilters(filters: RequestFilters): boolean {
  return Object.keys(filtersToParams(filters)).length > 0;
}

/** A link into the explorer with some filters set, e.g. from the Overview's endpoints table. */
export function requestLogsPath(filters: Partial<RequestFilters>): string {
  return `${REQUEST_LOGS_PATH}${queryString(filtersToParams(filters))}`;
}
