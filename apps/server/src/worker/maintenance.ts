import type { Logger } from 'pino';
import type { Services } from '../runtime.js';

export interface Stoppable {
  stop(): Promise<void>;
}

/**
 * Periodic housekeeping (expired sessions, stale login counters). Idempotent, so several worker
 * processes may run it at once without harm. `stop()` waits for a run in progress.
 */
export function startMaintenance(services: Pick<Services, 'accounts'>, logger: Logger, intervalMs = 60_000): Stoppable {
  let running: Promise<void> | undefined;
  const run = () => {
    running ??= services.accounts
      .pruneExpired()
      .then((pruned) => {
        if (pruned.sessions + pruned.throttle > 0) logger.debug(pruned, 'pruned expired sessions and login counters');
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
