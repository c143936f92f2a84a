import type { Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { noFailpoints } from '../../apps/server/src/lib/failpoints.js';
import { createLogger } from '../../apps/server/src/lib/logger.js';
import type { EthereumSigner } from '../../apps/server/src/modules/chains/ethereum/signer.js';
import { PayoutPipeline } from '../../apps/server/src/modules/chains/payouts/service.js';
import type { Bp } from '../../apps/server/src/modules/payments/service.js';
import type { PayoutConfig } from '../../apps/server/src/payout-config.js';
import type { Anvil } from './anvil.js';
import { Agent, type TestClock, type TestServer } from './server.js';

let seq = 0;

/** A live BP of `server` with the given balances credited through real (adapter-reported) deposits. */
export async function fundedLiveBp(server: TestServer, funds: { network: string; token: 'USDT' | null; amount: bigint }[]): Promise<{ bp: Bp; agent: Agent }> {
  const agent = new Agent(server.app);
  const bpId = (await agent.signUp(`payer.${Date.now()}.${++seq}@example.com`, `Payer ${seq}`)).activeBpId ?? '';
  await server.services.database.db.updateTable('bps').set({ environment: 'live' }).where('id', '=', bpId).execute();
  const bp: Bp = { bpId, environment: 'live' };
  for (const [i, fund] of funds.entries()) {
    const address = await server.services.payments.getDepositAddress(bp, { network: fund.network, identifier: `funding-${i}` });
    const tx = await server.services.payments.recordIncomingTransfer({
      network: fund.network,
      tokenSymbol: fund.token,
      toAddress: address.address,
      fromAddress: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
      amount: fund.amount,
      txHash: `0x${(++seq).toString(16).padStart(64, '0')}`,
      position: -1,
      block: null,
      requiredConfirmations: 12,
    });
    if (tx === null) throw new Error('funding deposit not recorded');
    await server.services.payments.addConfirmations(tx.id, tx.required_confirmations);
  }
  return { bp, agent };
}

export function pipelineFor(server: TestServer, signer: EthereumSigner, config: PayoutConfig, clock: TestClock): PayoutPipeline {
  return new PayoutPipeline(
    server.services.database.db,
    { signer, head: () => signer.head(), minedNonce: () => signer.minedNonce() },
    server.services.audit,
    clock,
    createLogger('silent'),
    noFailpoints,
    { replaceAfterSeconds: config.replaceAfterSeconds },
  );
}

/** Tick and mine until the payouts leave Pending (bounded). */
export async function settle(server: TestServer, anvil: Anvil, pipeline: PayoutPipeline, ids: readonly string[], rounds = 30): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await pipeline.tick();
    const rows = await server.services.database.db
      .selectFrom('transactions')
      .select('status')
      .where('id', 'in', [...ids])
      .execute();
    if (rows.every((r) => r.status !== 'Pending')) return;
    await anvil.mine(1);
  }
  throw new Error(`payouts ${ids.join(', ')} still pending after ${rounds} rounds`);
}

/** A fresh checksummed address nobody holds funds at. */
export const randomAddress = (): Hex => privateKeyToAccount(generatePrivateKey()).address;
