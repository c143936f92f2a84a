import type { SelectOption } from '../../ui/select-field';

export const PAGE_SIZES = [10, 25, 50, 100] as const;
export type PageSize = (typeof PAGE_SIZES)[number];
export const DEFAULT_PAGE_SIZE: PageSize = 25;

/**
 * The list's filters as the address bar holds them, so a filtered view can be bookmarked or
 * shared. '' means "any"; `from` and `to` are local calendar days (YYYY-MM-DD), both included.
 */
export interface TransactionFilters {
  readonly type: string;
  readonly status: string;
  readonly layer: string;
  readonly from: string;
  readonly to: string;
  readonly hideSmall: boolean;
  readonly limit: PageSize;
  readonly page: number;
}

export const NO_FILTERS: TransactionFilters = { type: '', status: '', layer: '', from: '', to: '', hideSmall: false, limit: DEFAULT_PAGE_SIZE, page: 1 };

export const TYPE_OPTIONS: readonly SelectOption[] = [
  { value: '', label: 'All types' },
  { value: 'Deposit', label: 'Deposits' },
  { value: 'Withdrawal', label: 'Payouts' },
];

export const STATUS_OPTIONS: readonly SelectOption[] = [
  { value: '', label: 'All statuses' },
  { value: 'Pending', label: 'Pending' },
  { value: 'Confirmed', label: 'Confirmed' },
  { value: 'Failed', label: 'Failed' },
];

export const LAYER_OPTIONS: readonly SelectOption[] = [
  { value: '', label: 'All layers' },
  { value: 'L1', label: 'Layer 1 (on chain)' },
  { value: 'L2', label: 'Layer 2 (internal)' },
];

export const PAGE_SIZE_OPTIONS: readonly SelectOption[] = PAGE_SIZES.map((size) => ({ value: String(size), label: `${size} per page` }));

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The start of a local calendar day, `days` later, as an ISO instant; null for anything but YYYY-MM-DD. */
function startOfLocalDay(day: string, days = 0): string | null {
  const match = DAY.exec(day);
  if (match === null) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + days);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

function oneOf(value: string | null, options: readonly SelectOption[]): string {
  return options.some((o) => o.value === value) && value !== null ? value : '';
}

function pageSizeOf(value: string | null): PageSize {
  return PAGE_SIZES.find((size) => String(size) === value) ?? DEFAULT_PAGE_SIZE;
}

/** Unknown or malformed values fall back to "any", so an edited address never earns a 400. */
export function filtersFromSearch(params: URLSearchParams): TransactionFilters {
  const day = (name: string) => {
    const value = params.get(name) ?? '';
    return startOfLocalDay(value) === null ? '' : value;
  };
  const page = Number.parseInt(params.get('page') ?? '1', 10);
  return {
    type: oneOf(params.get('type'), TYPE_OPTIONS),
    status: oneOf(params.get('status'), STATUS_OPTIONS),
    layer: oneOf(params.get('layer'), LAYER_OPTIONS),
    from: day('from'),
    to: day('to'),
    hideSmall: params.get('hideSmall') === 'true',
    limit: pageSizeOf(params.get('limit')),
    page: Number.isSafeInteger(page) && page >= 1 ? page : 1,
  };
}

/** Only what differs from the defaults, to keep addresses short. */
export function filtersToSearch(filters: TransactionFilters): Record<string, string> {
  const params: Record<string, string> = {};
  for (const name of ['type', 'status', 'layer', 'from', 'to'] as const) if (filters[name] !== '') params[name] = filters[name];
  if (filters.hideSmall) params.hideSmall = 'true';
  if (filters.limit !== DEFAULT_PAGE_SIZE) params.limit = String(filters.limit);
  if (filters.page !== 1) params.page = String(filters.page);
  return params;
}

/** The API's query: calendar days become instants in the browser's zone, with `to` covering its whole day. */
export function transactionQueryParams(filters: TransactionFilters): Record<string, string | number | undefined> {
  return {
    type: filters.type || undefined,
    status: filters.status || undefined,
    layer: filters.layer || undefined,
    from: filters.from === '' ? undefined : (startOfLocalDay(filters.from) ?? undefined),
    to: filters.to === '' ? undefined : (startOfLocalDay(filters.to, 1) ?? undefined),
    hideSmall: filters.hideSmall ? 'true' : undefined,
    page: filters.page,
    limit: filters.limit,
  };
}

/** Whether anything narrows the list (page and page size do not). */
export function hasFilters(filters: TransactionFilters): boolean {
  return filters.type !== '' || filters.status !== '' || filters.layer !== '' || filters.from !== '' || filters.to !== '' || filters.hideSmall;
}
