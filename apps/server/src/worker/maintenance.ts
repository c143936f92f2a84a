import type { Logger } from 'pino';
import type { Services } from '../runtime.js';

export interface Stoppable {
  stop(): Promise<void>;
}

/**
 * Periodic housekeeping (expired sessions, stale login counters, request nonces past their window, old rate-limit windows). Idempotent, so several worker
 * processes may run it at once without harm. `stop()` waits for a run in progress.
 */
export function startMaintenance(services: Pick<Services, 'accounts' | 'nonces' | 'clock' | 'depositPages'>, logger: Logger, intervalMs = 60_000): Stoppable {
  let running: Promise<void> | undefined;
  const run = () => {
    running ??= Promise.all([services.accounts.pruneExpired(), services.nonces.prune(services.clock.now()), services.depositPages.pruneCounters()])
      .then(([pruned, nonces, rateWindows]) => {
        if (pruned.sessions + pruned.throttle + nonces + rateWindows > 0)
          logger.debug({ ...pruned, nonces, rateWindows }, 'pruned expired sessions, login counters, nonces and rate-limit windows');
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'maintenance run failed; will retry'))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(run, intervalMs);
  timer.unref();
  run();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
