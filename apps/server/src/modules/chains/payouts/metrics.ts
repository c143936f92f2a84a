import { Gauge, type Registry } from 'prom-client';
import type { Clock } from '../../../lib/clock.js';
import type { PayoutStore } from './store.js';

/** Hot wallet balances as the payout worker last read them (base units, as a float for Prometheus). */
export interface HotWalletGauge {
  set(network: string, asset: 'native' | 'token', value: bigint): void;
}

/**
 * The operator's view of payouts, read from the database at scrape time (so any process reports
 * it): payouts by network and state, and the age of the oldest unfinished one — alert when it
 * grows (worker down, hot wallet empty, node unreachable). Balances come from the worker.
 */
export function registerPayoutMetrics(registry: Registry, store: PayoutStore, clock: Clock): HotWalletGauge {
  let reading: Promise<void> | undefined;
  let byState: Gauge<'network' | 'state'> | undefined;
  let oldest: Gauge<'network'> | undefined;
  const read = async () => {
    const rows = await store.summary();
    const now = clock.now().getTime();
    byState?.reset();
    oldest?.reset();
    const oldestByNetwork = new Map<string, number>();
    for (const row of rows) {
      byState?.set({ network: row.network, state: row.state }, row.n);
      if (row.oldest !== null) {
        const age = Math.max(0, (now - row.oldest.getTime()) / 1000);
        oldestByNetwork.set(row.network, Math.max(age, oldestByNetwork.get(row.network) ?? 0));
      }
    }
    for (const [network, age] of oldestByNetwork) oldest?.set({ network }, age);
  };
  const collect = async () => {
    reading ??= read().finally(() => {
      reading = undefined;
    });
    await reading;
  };
  byState = new Gauge({
    name: 'paygate_payouts',
    help: 'Chain payouts by network and pipeline state',
    labelNames: ['network', 'state'],
    registers: [registry],
    collect,
  });
  oldest = new Gauge({
    name: 'paygate_payout_oldest_open_seconds',
    help: 'Age of the oldest unfinished chain payout per network (queued, waiting for funds or sent)',
    labelNames: ['network'],
    registers: [registry],
    collect,
  });
  const balances = new Gauge({
    name: 'paygate_hot_wallet_balance',
    help: 'Hot wallet balance per network in base units (asset native = ETH wei, token = USDT micro-units), as last read by the payout worker',
    labelNames: ['network', 'asset'],
    registers: [registry],
  });
  return { set: (network, asset, value) => balances.set({ network, asset }, Number(value)) };
}
