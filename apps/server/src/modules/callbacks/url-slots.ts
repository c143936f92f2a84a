interface Slot {
  active: number;
  readonly waiting: (() => void)[];
}

/**
 * At most `perUrl` requests in flight per callback URL; the rest wait their turn in FIFO order.
 * A request's timeout starts only once it holds a slot, never while it waits.
 *
 * @example
 * const slots = new UrlSlots(4);
 * const waited = await slots.acquire(url);
 * try { await send(); } finally { slots.release(url); }
 */
export class UrlSlots {
  readonly #slots = new Map<string, Slot>();

  constructor(private readonly perUrl: number) {}

  /** Take a slot for `url`; resolves true if it had to wait for one. */
  async acquire(url: string): Promise<boolean> {
    let slot = this.#slots.get(url);
    if (slot === undefined) {
      slot = { active: 0, waiting: [] };
      this.#slots.set(url, slot);
    }
    if (slot.active < this.perUrl) {
      slot.active++;
      return false;
    }
    const queued = slot;
    // The releasing request hands its slot over directly (active stays the same).
    await new Promise<void>((resolve) => queued.waiting.push(resolve));
    return true;
  }

  release(url: string): void {
    const slot = this.#slots.get(url);
    if (slot === undefined) return;
    const next = slot.waiting.shift();
    if (next !== undefined) next();
    else if (--slot.active === 0) this.#slots.delete(url);
  }

  /**
   * Let every waiter go at once (each counted as holding a slot, so its release balances). For
   * shutting down: the waiters then see the worker stopping and put their delivery back unsent.
   */
  releaseAllWaiting(): void {
    for (const slot of this.#slots.values()) {
      const waiting = slot.waiting.splice(0);
      slot.active += waiting.length;
      for (const resolve of waiting) resolve();
    }
  }
}
