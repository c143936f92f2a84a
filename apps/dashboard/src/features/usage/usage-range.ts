export type RangePreset = '1h' | '24h' | '7d' | '30d';

/** What the range picker selected; custom bounds are ISO instants. */
export type OverviewRange = { readonly kind: 'preset'; readonly preset: RangePreset } | { readonly kind: 'custom'; readonly from: string; readonly to: string };

export const DEFAULT_RANGE: OverviewRange = { kind: 'preset', preset: '24h' };

interface Preset {
  readonly preset: RangePreset;
  /** On the range picker. */
  readonly label: string;
  /** In sentences: "No API requests in the last hour". */
  readonly period: string;
  /** What changes are measured against. */
  readonly previous: string;
}

export const PRESETS: readonly Preset[] = [
  { preset: '1h', label: '1 hour', period: 'the last hour', previous: 'previous hour' },
  { preset: '24h', label: '24 hours', period: 'the last 24 hours', previous: 'previous 24 hours' },
  { preset: '7d', label: '7 days', period: 'the last 7 days', previous: 'previous 7 days' },
  { preset: '30d', label: '30 days', period: 'the last 30 days', previous: 'previous 30 days' },
];

export function rangeQuery(range: OverviewRange): Record<string, string> {
  return range.kind === 'preset' ? { range: range.preset } : { range: 'custom', from: range.from, to: range.to };
}

/** "vs previous 24 hours" under each KPI: the period the change is measured against. */
export function previousPeriodLabel(range: OverviewRange): string {
  if (range.kind === 'custom') return 'previous period';
  return PRESETS.find((p) => p.preset === range.preset)?.previous ?? 'previous period';
}

export function periodLabel(range: OverviewRange): string {
  if (range.kind === 'custom') return 'this period';
  return PRESETS.find((p) => p.preset === range.preset)?.period ?? 'this period';
}

/** Read the range from the address bar, so a link to an incident's time window opens that window. */
export function rangeFromSearch(params: URLSearchParams): OverviewRange {
  const range = params.get('range');
  const preset = PRESETS.find((p) => p.preset === range)?.preset;
  if (preset !== undefined) return { kind: 'preset', preset };
  const from = params.get('from');
  const to = params.get('to');
  if (range === 'custom' && from !== null && to !== null && !Number.isNaN(Date.parse(from)) && !Number.isNaN(Date.parse(to))) {
    return { kind: 'custom', from, to };
  }
  return DEFAULT_RANGE;
}

/** The same rules as the server, checked first so a typo does not cost a round trip. */
export function customRangeProblem(from: string | null, to: string | null, now: Date = new Date()): string | undefined {
  if (from === null || to === null) return 'Enter both a start and an end.';
  if (Date.parse(from) >= Date.parse(to)) return 'The start must be before the end.';
  if (Date.parse(from) >= now.getTime()) return 'The start must be in the past.';
  if (Date.parse(to) - Date.parse(from) > 400 * 86_400_000) return 'A range may span at most 400 days.';
  return undefined;
}
