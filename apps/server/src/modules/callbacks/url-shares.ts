/** How much of its recent history a URL's latency estimate keeps per new attempt. */
const SMOOTHING = 0.8;
/** The worker aims to hold about this much of each URL's work. */
const HOLD_MS = 1_000;
/** Past this many URLs with an estimate, forget them all (they are re-learnt in a few attempts). */
const MAX_TRACKED = 10_000;

/**
 * How many of one URL's deliveries a worker may hold (claimed and not yet sent): about a second of
 * that URL's work at its recent latency — at least twice its request slots, at most a quarter of
 * the worker. A fast endpoint gets deep claims (few database round trips per callback); one that
 * hangs until its timeout gets twice its slots, so many of them together still leave the worker
 * free for everyone else.
 *
 * @example
 * const shares = new UrlShares(4, 1000);
 * shares.of(url);             // 16 for a URL not seen yet
 * shares.observe(url, 5_000); // a timeout
 * shares.of(url);             // 8: twice its 4 slots
 */
export class UrlShares {
  readonly #latencyMs = new Map<string, number>();
  readonly initial: number;
  readonly #min: number;
  readonly #max: number;

  constructor(
    private readonly slots: number,
    maxInFlight: number,
  ) {
    this.#min = slots * 2;
    this.#max = Math.max(this.#min, Math.floor(maxInFlight / 4));
    this.initial = Math.min(this.#max, slots * 4);
  }

  of(url: string): number {
    const latency = this.#latencyMs.get(url);
    if (latency === undefined) return this.initial;
    const perSecond = Math.round((this.slots * HOLD_MS) / Math.max(latency, 1));
    return Math.min(this.#max, Math.max(this.#min, perSecond));
  }

  /** Feed one attempt's duration (timeouts and refusals included: they are what the worker waits on). */
  observe(url: string, durationMs: number): void {
    const previous = this.#latencyMs.get(url);
    if (previous === undefined && this.#latencyMs.size >= MAX_TRACKED) this.#latencyMs.clear();
    this.#latencyMs.set(url, previous === undefined ? durationMs : previous * SMOOTHING + durationMs * (1 - SMOOTHING));
  }
}
