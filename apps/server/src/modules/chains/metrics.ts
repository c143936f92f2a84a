import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Prometheus series of the deposit scanner, labelled by network symbol (ETH, SEP, …). */
export interface ChainMetrics {
  readonly head: Gauge<'network'>;
  readonly scanned: Gauge<'network'>;
  readonly lagBlocks: Gauge<'network'>;
  readonly lagSeconds: Gauge<'network'>;
  readonly rpcErrors: Counter<'network' | 'operation'>;
  readonly reorgs: Counter<'network'>;
  readonly deepReorgs: Counter<'network'>;
  readonly deposits: Counter<'network' | 'outcome'>;
  readonly stepSeconds: Histogram<'network'>;
  readonly unexplainedBalances: Gauge<'network'>;
}

export function createChainMetrics(registry: Registry): ChainMetrics {
  const registers = [registry];
  return {
    head: new Gauge({ name: 'paygate_chain_head_block', help: "The node's latest block", labelNames: ['network'], registers }),
    scanned: new Gauge({ name: 'paygate_chain_scanned_block', help: 'Highest block scanned for deposits', labelNames: ['network'], registers }),
    lagBlocks: new Gauge({ name: 'paygate_chain_lag_blocks', help: 'Blocks between the node head and the scanned height', labelNames: ['network'], registers }),
    lagSeconds: new Gauge({
      name: 'paygate_chain_lag_seconds',
      help: 'Age of the last scanned block while behind the head (0 when caught up)',
      labelNames: ['network'],
      registers,
    }),
    rpcErrors: new Counter({ name: 'paygate_chain_rpc_errors_total', help: 'Failed node calls (retried)', labelNames: ['network', 'operation'], registers }),
    reorgs: new Counter({
      name: 'paygate_chain_reorgs_total',
      help: 'Reorgs detected (parent-hash mismatch at the cursor)',
      labelNames: ['network'],
      registers,
    }),
    deepReorgs: new Counter({
      name: 'paygate_chain_deep_reorgs_total',
      help: 'Reorgs reaching below the final height (confirmed deposits are never reverted; investigate)',
      labelNames: ['network'],
      registers,
    }),
    deposits: new Counter({
      name: 'paygate_chain_deposits_total',
      help: 'Deposit observations by outcome (new, reattached, revived, unchanged)',
      labelNames: ['network', 'outcome'],
      registers,
    }),
    unexplainedBalances: new Gauge({
      name: 'paygate_chain_unexplained_balance_addresses',
      help: 'Deposit addresses with an open request holding native coin no scanned transaction brought (internal transfers; not credited)',
      labelNames: ['network'],
      registers,
    }),
    stepSeconds: new Histogram({
      name: 'paygate_chain_scan_step_seconds',
      help: 'Duration of one scan step (a batch of blocks)',
      labelNames: ['network'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
  };
}
