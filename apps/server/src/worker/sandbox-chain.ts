import type { Logger } from 'pino';
import type { Services } from '../runtime.js';
import type { Stoppable } from './maintenance.js';

/** Advances sandbox transactions on their own, so a sandbox integration sees every state change. */
export function startSandboxChain(services: Pick<Services, 'sandbox'>, logger: Logger, afterSeconds: number, everyMs = 2_000): Stoppable {
  let running: Promise<void> | undefined;
  const tick = () => {
    running ??= services.sandbox
      .autoAdvance(afterSeconds)
      .then((n) => {
        if (n > 0) logger.debug({ advanced: n }, 'sandbox chain confirmed pending transactions');
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'sandbox chain tick failed; will retry'))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
