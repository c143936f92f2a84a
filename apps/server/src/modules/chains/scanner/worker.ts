import type { Logger } from 'pino';
import { type ChainReader, ChainRpcError, NetworkMismatchError } from '../adapter.js';
import type { ChainMetrics } from '../metrics.js';
import type { BalanceCheck } from './balance-check.js';
import type { ChainScanner } from './service.js';

export interface ScannerLoopOptions {
  readonly pollIntervalMs: number;
  /** Longest wait between attempts while the node keeps failing. */
  readonly maxBackoffMs?: number;
  /** The internal-transfer balance check, run every `everySteps` caught-up steps. */
  readonly balanceCheck?: { readonly check: BalanceCheck; readonly everySteps: number };
}

export interface RunningScanner {
  stop(): Promise<void>;
}

/**
 * Run one network's scanner until stopped: steps back to back while catching up, every poll
 * interval once at the head, and with exponential backoff while the node fails (the cursor
 * does not move, so nothing is skipped; the API is unaffected). The network is verified
 * before the first step and again after every failure.
 */
export function runScanner(reader: ChainReader, scanner: ChainScanner, metrics: ChainMetrics, logger: Logger, options: ScannerLoopOptions): RunningScanner {
  const network = reader.network;
  const maxBackoff = options.maxBackoffMs ?? 60_000;
  let stopped = false;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, ms);
    });
  const loop = async () => {
    let failures = 0;
    let verified = false;
    let idleSteps = 0;
    while (!stopped) {
      let wait = options.pollIntervalMs;
      try {
        if (!verified) {
          await reader.verifyNetwork();
          verified = true;
        }
        const endTimer = metrics.stepSeconds.startTimer({ network });
        const result = await scanner.step();
        endTimer();
        if (failures > 0) logger.info({ network, failures }, 'chain node answers again; scanning resumed');
        failures = 0;
        if (!result.caughtUp) wait = 0;
        else if (options.balanceCheck !== undefined && ++idleSteps % options.balanceCheck.everySteps === 0) {
          const found = await options.balanceCheck.check.runAtScannedFinal();
          metrics.unexplainedBalances.set({ network }, found.length);
        }
      } catch (error: unknown) {
        failures++;
        verified = false;
        wait = Math.min(maxBackoff, options.pollIntervalMs * 2 ** Math.min(failures, 16));
        if (error instanceof ChainRpcError) metrics.rpcErrors.inc({ network, operation: error.operation });
        else metrics.rpcErrors.inc({ network, operation: error instanceof NetworkMismatchError ? 'verify' : 'scan' });
        const entry = { network, failures, retryInMs: wait, err: error };
        if (error instanceof NetworkMismatchError) logger.error(entry, error.message);
        else logger.warn(entry, 'chain scan step failed; retrying (the cursor did not move)');
      }
      if (!stopped) await (wait === 0 ? new Promise<void>((r) => setImmediate(r)) : sleep(wait));
    }
  };
  const running = loop();
  return {
    stop: async () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      wake?.();
      await running;
    },
  };
}
