import type { Logger } from 'pino';
import type { Services } from '../runtime.js';
import type { Stoppable } from './maintenance.js';

/**
 * Usage rollups every few seconds (so the Overview's rollup part trails by seconds, and the raw
 * tail it reads stays short), and partition/retention maintenance every ten minutes. Both are
 * idempotent and lock-protected, so any number of workers may run them.
 */
export function startUsageJobs(services: Pick<Services, 'rollup' | 'clock'>, logger: Logger, rollupEveryMs = 5_000, storageEveryMs = 600_000): Stoppable {
  let rolling: Promise<void> | undefined;
  let storing: Promise<void> | undefined;
  const rollup = () => {
    rolling ??= services.rollup
      .run(services.clock.now())
      .then((done) => {
        if (done.minutes + done.dirtyMinutes + done.hours + done.days > 0) logger.debug(done, 'usage rollups advanced');
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'usage rollup failed; will retry'))
      .finally(() => {
        rolling = undefined;
      });
  };
  const storage = () => {
    storing ??= services.rollup
      .maintainStorage(services.clock.now())
      .then((done) => {
        if (done.created.length + done.dropped.length > 0) logger.info(done, 'request log partitions maintained');
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'usage storage maintenance failed; will retry'))
      .finally(() => {
        storing = undefined;
      });
  };
  const timers = [setInterval(rollup, rollupEveryMs), setInterval(storage, storageEveryMs)];
  for (const t of timers) t.unref();
  storage();
  rollup();
  return {
    stop: async () => {
      for (const t of timers) clearInterval(t);
      await rolling;
      await storing;
    },
  };
}
