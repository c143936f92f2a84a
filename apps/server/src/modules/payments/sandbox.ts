import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { parseAmount } from './amounts.js';
import { validateAddress } from './chain/index.js';
import { resolveCurrency } from './currencies.js';
import type { Bp, PaymentsService } from './service.js';
import { requirePortableText } from './texts.js';
import type { TransactionRow } from './views.js';

/** Addresses the simulated chain sends from when the caller gives none (valid, checksummed). */
const FAUCET = { ethereum: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', tron: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t' } as const;

/**
 * The sandbox chain: the chain adapter behind sandbox Business Partners. It reports simulated
 * incoming transfers to the payments core exactly as a real adapter reports observed ones, and
 * lets integrators drive confirmations and failures — so every callback kind can be tested.
 */
export class SandboxChain {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly payments: PaymentsService,
    private readonly clock: Clock,
    /** False for a sandbox network backed by a real testnet node: then nothing here applies to it. */
    private readonly simulated: (network: string) => boolean = () => true,
  ) {}

  #assertSimulated(network: string): void {
    if (!this.simulated(network))
      throw new AppError(
        'network_not_simulated',
        `${network} runs on a real testnet node here; send testnet coins to the deposit address instead of simulating.`,
        {
          network,
        },
      );
  }

  async #assertSimulatedTx(transactionId: string): Promise<void> {
    const row = await this.db.selectFrom('transactions').select('network').where('id', '=', transactionId).executeTakeFirst();
    if (row) this.#assertSimulated(row.network);
  }

  #assertSandbox(bp: Bp): void {
    if (bp.environment !== 'sandbox') throw new AppError('sandbox_only', 'Simulation is only available to sandbox Business Partners.');
  }

  async #owned(bp: Bp, transactionId: string): Promise<void> {
    const row = await this.db.selectFrom('transactions').select('id').where('id', '=', transactionId).where('bp_id', '=', bp.bpId).executeTakeFirst();
    if (!row) throw new AppError('not_found', `No transaction ${transactionId} for this Business Partner.`);
  }

  async simulateDeposit(
    bp: Bp,
    input: {
      network: string;
      token?: string | undefined;
      toAddress?: string | undefined;
      identifier?: string | undefined;
      amount: string;
      fromAddress?: string | undefined;
      outcome: 'confirm' | 'pending' | 'fail';
    },
  ): Promise<TransactionRow> {
    this.#assertSandbox(bp);
    const currency = resolveCurrency(bp.environment, input.network, input.token ?? null);
    this.#assertSimulated(currency.network);
    const amount = parseAmount(input.amount, currency.decimals);
    // The sender is shown in the transaction and its callbacks: it must be a real address of the chain.
    let fromAddress: string = FAUCET[currency.chain];
    if (input.fromAddress !== undefined) {
      const checked = validateAddress(currency.chain, input.fromAddress);
      if (!checked.ok)
        throw new AppError('address_invalid', `fromAddress is not a ${currency.network} address.`, {
          reason: checked.reason,
          errors: [{ field: 'body.fromAddress', message: checked.reason === 'checksum' ? 'Checksum mismatch' : 'Not an address of this network' }],
        });
      fromAddress = checked.address;
    }
    let toAddress = input.toAddress;
    if (toAddress === undefined) {
      if (input.identifier === undefined)
        throw new AppError('validation_failed', 'Give toAddress or identifier.', {
          errors: [{ field: 'body.toAddress', message: 'toAddress or identifier is required' }],
        });
      toAddress = (await this.payments.getDepositAddress(bp, { network: input.network, identifier: input.identifier })).address;
    }
    const owned = await this.db
      .selectFrom('deposit_addresses')
      .select('id')
      .where('bp_id', '=', bp.bpId)
      .where('chain', '=', currency.chain)
      .where('address', '=', toAddress)
      .executeTakeFirst();
    if (!owned)
      throw new AppError('address_invalid', `${toAddress} is not a ${currency.network} deposit address of this Business Partner.`, {
        errors: [{ field: 'body.toAddress', message: 'Not your deposit address' }],
      });
    const hash = currency.chain === 'ethereum' ? `0x${randomBytes(32).toString('hex')}` : randomBytes(32).toString('hex');
    const tx = await this.payments.recordIncomingTransfer({
      network: currency.network,
      tokenSymbol: currency.tokenSymbol,
      toAddress,
      fromAddress,
      amount,
      txHash: hash,
      position: currency.tokenSymbol === null ? -1 : 0,
      block: null,
      requiredConfirmations: currency.confirmations,
    });
    if (tx === null) throw new Error('the sandbox deposit address was not found after checking it');
    if (input.outcome === 'fail') return this.payments.failDeposit(tx.id, 'Simulated failure (sandbox)');
    if (input.outcome === 'confirm') return this.payments.addConfirmations(tx.id, tx.required_confirmations);
    return tx;
  }

  async addConfirmations(bp: Bp, transactionId: string, count: number): Promise<TransactionRow> {
    this.#assertSandbox(bp);
    await this.#owned(bp, transactionId);
    await this.#assertSimulatedTx(transactionId);
    return this.payments.addConfirmations(transactionId, count);
  }

  /** A payout the chain pipeline sends (a node backs its network) is decided by the chain, not here. */
  async #assertNotChainPayout(transactionId: string): Promise<void> {
    const chain = await this.db.selectFrom('payouts').select('network').where('transaction_id', '=', transactionId).executeTakeFirst();
    if (chain)
      throw new AppError('network_not_simulated', `Payout ${transactionId} is sent on the real ${chain.network} chain; its outcome cannot be simulated.`);
  }

  async confirmPayout(bp: Bp, transactionId: string): Promise<TransactionRow> {
    this.#assertSandbox(bp);
    await this.#owned(bp, transactionId);
    await this.#assertSimulatedTx(transactionId);
    await this.#assertNotChainPayout(transactionId);
    return this.payments.confirmPayout(transactionId);
  }

  async failPayout(bp: Bp, transactionId: string, reason: string | undefined): Promise<TransactionRow> {
    this.#assertSandbox(bp);
    if (reason !== undefined) requirePortableText(reason, 'body.reason');
    await this.#owned(bp, transactionId);
    await this.#assertSimulatedTx(transactionId);
    await this.#assertNotChainPayout(transactionId);
    return this.payments.failPayout(transactionId, reason ?? 'Simulated failure (sandbox)');
  }

  /**
   * Automatic progress for sandbox BPs: pending deposits and payouts older than `afterSeconds`
   * are confirmed, as a real chain would eventually. Returns how many were advanced.
   */
  async autoAdvance(afterSeconds: number): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - afterSeconds * 1000);
    const due = await this.db
      .selectFrom('transactions as t')
      .innerJoin('bps as b', 'b.id', 't.bp_id')
      .select(['t.id', 't.type', 't.network', 't.required_confirmations'])
      .where('t.status', '=', 'Pending')
      .where('b.environment', '=', 'sandbox')
      .where('t.initiated_at', '<', cutoff)
      // Payouts sent on a real chain (sandbox BPs on a node-backed Sepolia) are not simulated.
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('payouts as p').select('p.transaction_id').whereRef('p.transaction_id', '=', 't.id'))))
      .limit(200)
      .execute();
    let advanced = 0;
    for (const tx of due) {
      if (!this.simulated(tx.network)) continue;
      try {
        if (tx.type === 'Deposit') await this.payments.addConfirmations(tx.id, tx.required_confirmations);
        else await this.payments.confirmPayout(tx.id);
        advanced++;
      } catch (error: unknown) {
        // Another worker or a manual action got there first.
        if (!(error instanceof AppError && error.code === 'transaction_state_invalid')) throw error;
      }
    }
    return advanced;
  }
}
