/**
 * The fixed, log-spaced latency histogram every usage rollup shares: thresholds
 * ceil(100 µs · 2^(k/4)) for k = 0..79, four buckets per doubling. Bucket b holds durations with
 * exactly b thresholds ≤ them (bucket 0: under 100 µs). Migration 0003 embeds the same table in
 * `paygate_latency_bucket()`; a test keeps the two equal.
 */
export const LATENCY_THRESHOLDS_US: readonly number[] = Array.from({ length: 80 }, (_, k) => Math.ceil(100 * 2 ** (k / 4)));

/** Histogram bucket of a duration, as `paygate_latency_bucket()` computes it in SQL. */
export function latencyBucket(durationUs: number): number {
  let lo = 0;
  let hi = LATENCY_THRESHOLDS_US.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((LATENCY_THRESHOLDS_US[mid] ?? Number.POSITIVE_INFINITY) <= durationUs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The value reported for a bucket: its upper bound in milliseconds (the first threshold above
 * it), so a reported p95 is never lower than the true one; the open last bucket reports its lower bound.
 */
export function bucketUpperMs(bucket: number): number {
  const upper = LATENCY_THRESHOLDS_US[bucket] ?? LATENCY_THRESHOLDS_US.at(-1) ?? 0;
  return upper / 1000;
}

/**
 * The p-quantile (0 < p ≤ 1) of a histogram given as bucket → count: the upper bound of the first
 * bucket whose cumulative count reaches ceil(p · total). Null for an empty histogram.
 */
export function quantileMs(histogram: ReadonlyMap<number, number>, p: number): number | null {
  let total = 0;
  for (const n of histogram.values()) total += n;
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let cumulative = 0;
  for (const bucket of [...histogram.keys()].sort((a, b) => a - b)) {
    cumulative += histogram.get(bucket) ?? 0;
    if (cumulative >= rank) return bucketUpperMs(bucket);
  }
  return null;
}
