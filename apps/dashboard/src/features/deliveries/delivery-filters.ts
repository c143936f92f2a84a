import type { SelectOption } from '../../ui/select-field';
import { CALLBACK_KINDS } from '../callback-urls/callback-kinds';

/** The list's filters as the address bar holds them; '' means "any". Times are ISO instants. */
export interface DeliveryFilters {
  readonly kind: string;
  readonly status: string;
  readonly from: string;
  readonly to: string;
  /** `tx_…`: only the deliveries about one transaction (set by the link from a transaction). */
  readonly transaction: string;
}

export const NO_FILTERS: DeliveryFilters = { kind: '', status: '', from: '', to: '', transaction: '' };

export const KIND_OPTIONS: readonly SelectOption[] = [
  { value: '', label: 'All kinds' },
  ...CALLBACK_KINDS.map(({ kind, label }) => ({ value: kind, label })),
  // Sent back to the BP after a `POST /v1/callbacks/verify`, to the URL of the callback it confirms.
  { value: 'verification', label: 'Verification' },
];

export const STATUS_OPTIONS: readonly SelectOption[] = [
  { value: '', label: 'All statuses' },
  { value: 'pending', label: 'Pending' },
  { value: 'delivering', label: 'Sending' },
  { value: 'succeeded', label: 'Succeeded' },
  { value: 'failed', label: 'Failed' },
];

function oneOf(value: string | null, options: readonly SelectOption[]): string {
  return value !== null && options.some((o) => o.value === value) ? value : '';
}

function instant(value: string | null): string {
  return value !== null && !Number.isNaN(Date.parse(value)) ? value : '';
}

/** Unknown or malformed values fall back to "any", so an edited address never earns a 400. */
export function filtersFromSearch(params: URLSearchParams): DeliveryFilters {
  return {
    kind: oneOf(params.get('kind'), KIND_OPTIONS),
    status: oneOf(params.get('status'), STATUS_OPTIONS),
    from: instant(params.get('from')),
    to: instant(params.get('to')),
    transaction: /^tx_[0-9a-z]{26}$/.test(params.get('transaction') ?? '') ? (params.get('transaction') ?? '') : '',
  };
}

/** The filters that are set, as query parameters (for the address bar). */
export function filtersToSearch(filters: DeliveryFilters): Record<string, string> {
  const params: Record<string, string> = {};
  for (const name of ['kind', 'status', 'from', 'to', 'transaction'] as const) if (filters[name] !== '') params[name] = filters[name];
  return params;
}

/** The API's query; times go as the server expects them, in UTC. */
export function deliveryQueryParams(filters: DeliveryFilters): Record<string, string | undefined> {
  const iso = (value: string) => (value === '' ? undefined : new Date(value).toISOString());
  return {
    kind: filters.kind || undefined,
    status: filters.status || undefined,
    from: iso(filters.from),
    to: iso(filters.to),
    transactionId: filters.transaction || undefined,
  };
}

export function hasFilters(filters: DeliveryFilters): boolean {
  return Object.keys(filtersToSearch(filters)).length > 0;
}
