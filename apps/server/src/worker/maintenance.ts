import type { Logger } from 'pino';
import type { Services } from '../runtime.js';

export interface Stoppable {
  stop(): Promise<void>;
}

/**
 * Periodic housekeeping (expired sessions, stale login counters, request nonces past their window). Idempotent, so several worker
 * processes may run it at once without harm. `stop()` waits for a run in progress.
 */
export function startMaintenance(services: Pick<Services, 'accounts' | 'nonces' | 'clock'>, logger: Logger, intervalMs = 60_000): Stoppable {
  let running: Promise<void> | undefined;
  const run = () => {
    running ??= Promise.all([services.accounts.pruneExpired(), services.nonces.prune(services.clock.now())])
      .then(([pruned, nonces]) => {
        if (pruned.sessions + pruned.throttle + nonces > 0) logger.debug({ ...pruned, nonces }, 'pruned expired sessions, login counters and nonces');
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
