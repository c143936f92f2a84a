/**
 * Named points where the process kills itself with SIGKILL, so tests can prove that a crash
 * between any two steps of a sequence (e.g. a payout's sign → store → broadcast) is recovered
 * from after a restart. Configured with PAYGATE_FAILPOINTS; config.ts refuses them in production.
 */
export interface Failpoints {
  /** Die here (SIGKILL: no cleanup, no flushing) if `name` is armed; otherwise do nothing. */
  hit(name: string): void;
}

export const noFailpoints: Failpoints = { hit: () => undefined };

/** Every point a payout passes, in order (documented in docs/chains.md). */
export const PAYOUT_FAILPOINTS = ['payout.after-nonce', 'payout.after-sign', 'payout.after-broadcast', 'payout.after-receipt', 'payout.after-confirm'] as const;

export function killingFailpoints(armed: readonly string[], kill: () => void = () => process.kill(process.pid, 'SIGKILL')): Failpoints {
  const set = new Set(armed);
  return set.size === 0 ? noFailpoints : { hit: (name) => (set.has(name) ? kill() : undefined) };
}
