import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DB } from '../../../db/schema.js';
import type { Clock } from '../../../lib/clock.js';
import type { Failpoints } from '../../../lib/failpoints.js';
import type { AuditService } from '../../audit/service.js';
import { formatAmount } from '../../payments/amounts.js';
import { currencyByCode } from '../../payments/currencies.js';
import { confirmChainPayout, failChainPayout, showAttempt } from '../../payments/payout-transitions.js';
import type { ChainHead, OnChainStatus, PayoutOrder, PayoutSigner, SignedPayout } from '../adapter.js';
import { FeeCapReachedError, TransferWouldRevertError } from '../ethereum/signer.js';
import { type AttemptRow, type OpenPayout, PayoutStore } from './store.js';

export interface PayoutPipelineOptions {
  /** Sign a replacement (same nonce, fees +10 % or more) when the newest attempt is this old and unmined. */
  readonly replaceAfterSeconds: number;
  /** Most payouts handled per round. */
  readonly batchSize?: number;
}

export interface PayoutChain {
  readonly signer: PayoutSigner;
  /** The chain's head and final block (a payout is Confirmed when its block is ≤ final). */
  head(): Promise<ChainHead>;
  /** Nonce-based chains: how many of the hot wallet's transactions are mined (its next nonce on chain). */
  minedNonce?(): Promise<bigint>;
}

/** What is already committed to unmined payouts, so new ones are not signed against the same coins. */
interface Commitments {
  native: bigint;
  token: bigint;
}

/**
 * The payout pipeline of one network, written once over {@link PayoutSigner}: claim → allocate
 * the nonce (in the database) → sign → store the signed bytes in the same transaction →
 * broadcast → follow every hash → Confirmed at the confirmation depth, Failed if reverted.
 * Any step may be interrupted (kill -9): the next round continues from what the database holds
 * and never signs a second transfer that could also land.
 */
export class PayoutPipeline {
  readonly #store: PayoutStore;
  readonly #network: string;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly chain: PayoutChain,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly failpoints: Failpoints,
    private readonly options: PayoutPipelineOptions,
  ) {
    this.#store = new PayoutStore(db);
    this.#network = chain.signer.network;
  }

  get store(): PayoutStore {
    return this.#store;
  }

  async start(): Promise<void> {
    await this.#store.ensureWallet(this.#network, this.chain.signer.address);
  }

  /** One round: follow what was sent, then sign what waits. Returns how many payouts finished. */
  async tick(): Promise<number> {
    const open = await this.#store.open(this.#network, this.options.batchSize ?? 100);
    if (open.length === 0) return 0;
    let finished = 0;
    const commitments: Commitments = { native: 0n, token: 0n };
    for (const payout of open.filter((p) => p.nonce !== null || p.state === 'sent')) {
      if (await this.#follow(payout, commitments)) finished++;
    }
    const waiting = open.filter((p) => p.nonce === null && p.state !== 'sent');
    if (waiting.length === 0) return finished;
    const balances = await this.chain.signer.balances();
    let native = balances.native - commitments.native;
    let token = balances.token - commitments.token;
    for (const payout of waiting) {
      const order = this.#order(payout);
      const fee = await this.chain.signer.estimateFee(order);
      const needNative = fee + (order.token === null ? order.amount : 0n);
      const needToken = order.token === null ? 0n : order.amount;
      if (native < needNative || token < needToken) {
        await this.#waitForFunds(payout, order, { native, token, needNative, needToken });
        continue;
      }
      const signed = await this.#signNew(payout, order);
      if (signed === null) continue;
      native -= needNative;
      token -= needToken;
      await this.#broadcast(payout, signed);
    }
    return finished;
  }

  #order(payout: OpenPayout): PayoutOrder {
    return { transactionId: payout.transactionId, network: this.chain.signer.network, token: payout.token, to: payout.to, amount: payout.amount };
  }

  /** Allocate the nonce, sign and store the signed bytes — one database transaction. */
  async #signNew(payout: OpenPayout, order: PayoutOrder): Promise<AttemptRow | null> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        let nonce: bigint | null = null;
        if (this.chain.signer.usesNonces) {
          const counter = await this.#store.lockNonce(trx, this.#network);
          const mined = (await this.chain.minedNonce?.()) ?? 0n;
          nonce = counter > mined ? counter : mined;
        }
        if ((await this.#store.lockPayout(trx, payout.transactionId, ['queued', 'waiting_funds'])) === undefined) return null;
        this.failpoints.hit('payout.after-nonce');
        const signed = await this.chain.signer.sign(order, { nonce, replacing: null });
        if (nonce !== null) await this.#store.setNextNonce(trx, this.#network, nonce + 1n);
        const attempt = await this.#store.recordSigned(trx, payout.transactionId, this.#network, signed, this.clock.now());
        await showAttempt(trx, this.clock, payout.transactionId, signed.hash, this.chain.signer.address);
        return attempt;
      });
    } catch (error: unknown) {
      if (error instanceof TransferWouldRevertError) {
        // Nothing was signed and no nonce was used: the payout fails and the BP gets everything back.
        this.logger.warn(
          { transactionId: payout.transactionId, network: this.#network, reason: error.reason, detail: error.detail },
          'payout refused by the chain before sending',
        );
        await failChainPayout(this.db, this.clock, payout.transactionId, error.reason, null);
        return null;
      }
      throw error;
    }
  }

  async #broadcast(payout: OpenPayout, attempt: AttemptRow): Promise<void> {
    this.failpoints.hit('payout.after-sign');
    const result = await this.chain.signer.broadcast(attempt.raw);
    this.failpoints.hit('payout.after-broadcast');
    if (result.kind === 'rejected') {
      if (result.reason === 'insufficient_funds') {
        await this.#waitForFunds(payout, this.#order(payout), null);
        return;
      }
      this.logger.warn({ transactionId: payout.transactionId, hash: attempt.hash, reason: result.reason }, 'node refused a payout transaction; it is retried');
      await this.#store.setState(payout.transactionId, 'sent', result.reason);
      return;
    }
    await this.#store.markBroadcast(attempt.id, this.clock.now());
    if (payout.state === 'waiting_funds') await this.#store.setState(payout.transactionId, 'sent', null);
  }

  /** Follow every hash of a sent payout; confirm, fail, re-send or replace. True when it finished. */
  async #follow(payout: OpenPayout, commitments: Commitments): Promise<boolean> {
    const attempts = await this.#store.attempts(payout.transactionId);
    const newest = attempts.at(-1);
    if (newest === undefined) {
      // Only a foreign nonce use leaves a sent payout without attempts (they were superseded).
      await this.#store.setState(payout.transactionId, 'queued', null);
      return false;
    }
    // Read the mined nonce BEFORE the statuses: if it is past ours and none of ours is mined
    // afterwards, a foreign transaction took the nonce (none of ours can land any more).
    const minedNonce = this.chain.signer.usesNonces ? await this.chain.minedNonce?.() : undefined;
    const statuses: [AttemptRow, OnChainStatus][] = [];
    for (const attempt of attempts.filter((a) => a.state !== 'superseded')) statuses.push([attempt, await this.chain.signer.status(attempt.hash)]);
    const mined = statuses.find(([, s]) => s.kind === 'mined');
    if (mined !== undefined) {
      const [attempt, status] = mined;
      if (status.kind !== 'mined') return false;
      if (attempt.state !== 'mined') await this.#store.markMined(attempt.id, status.blockNumber);
      const head = await this.chain.head();
      if (status.blockNumber > head.final) return false;
      this.failpoints.hit('payout.after-receipt');
      const settled = { hash: attempt.hash, feePaid: status.feePaid };
      if (status.success) await confirmChainPayout(this.db, this.clock, payout.transactionId, settled);
      else await failChainPayout(this.db, this.clock, payout.transactionId, status.failure ?? 'reverted', settled);
      this.failpoints.hit('payout.after-confirm');
      this.logger.info(
        { transactionId: payout.transactionId, hash: attempt.hash, success: status.success, feePaid: status.feePaid.toString() },
        'payout settled on chain',
      );
      return true;
    }
    for (const [attempt] of statuses) if (attempt.state === 'mined') await this.#store.markUnmined(attempt.id);
    const order = this.#order(payout);
    commitments.native += BigInt(newest.max_fee) + (order.token === null ? order.amount : 0n);
    commitments.token += order.token === null ? 0n : order.amount;
    if (minedNonce !== undefined && payout.nonce !== null && minedNonce > payout.nonce) {
      this.logger.error(
        { transactionId: payout.transactionId, nonce: payout.nonce.toString() },
        'another transaction used this payout nonce; signing the payout again with a new nonce',
      );
      await this.db.transaction().execute((trx) => this.#store.requeue(trx, payout.transactionId, 'nonce used by another transaction'));
      return false;
    }
    const allAbsent = statuses.every(([, s]) => s.kind === 'absent');
    if (newest.state === 'signed' || payout.state === 'waiting_funds') {
      await this.#broadcast(payout, newest);
      return false;
    }
    const age = (this.clock.now().getTime() - newest.created_at.getTime()) / 1000;
    const replace = this.chain.signer.usesNonces
      ? age >= this.options.replaceAfterSeconds
      : allAbsent && newest.expires_at !== null && newest.expires_at.getTime() < this.clock.now().getTime();
    if (replace) {
      const replacement = await this.#replace(payout, order, newest);
      if (replacement !== null) {
        await this.#broadcast(payout, replacement);
        return false;
      }
    }
    // The node lost every attempt (restart, eviction): send the newest bytes again, never new ones.
    if (allAbsent) await this.#broadcast(payout, newest);
    return false;
  }

  async #replace(payout: OpenPayout, order: PayoutOrder, newest: AttemptRow): Promise<AttemptRow | null> {
    const previous: SignedPayout = {
      hash: newest.hash,
      raw: newest.raw,
      nonce: newest.nonce === null ? null : BigInt(newest.nonce),
      expiresAt: newest.expires_at,
      maxFee: BigInt(newest.max_fee),
    };
    try {
      return await this.db.transaction().execute(async (trx) => {
        if ((await this.#store.lockPayout(trx, payout.transactionId, ['sent'])) === undefined) return null;
        const latest = await trx
          .selectFrom('payout_attempts')
          .select('id')
          .where('transaction_id', '=', payout.transactionId)
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .executeTakeFirst();
        if (latest?.id !== newest.id) return null; // another worker replaced it meanwhile
        const signed = await this.chain.signer.sign(order, { nonce: previous.nonce, replacing: previous });
        const attempt = await this.#store.recordSigned(trx, payout.transactionId, this.#network, signed, this.clock.now());
        await showAttempt(trx, this.clock, payout.transactionId, signed.hash, this.chain.signer.address);
        this.logger.warn(
          { transactionId: payout.transactionId, replaced: previous.hash, hash: signed.hash, nonce: previous.nonce?.toString() },
          'payout transaction stuck; replaced it with higher fees',
        );
        return attempt;
      });
    } catch (error: unknown) {
      if (error instanceof FeeCapReachedError) {
        this.logger.warn({ transactionId: payout.transactionId, reason: error.message }, 'stuck payout cannot be replaced within the fee cap; waiting');
        return null;
      }
      throw error;
    }
  }

  /** The hot wallet cannot cover the payout: it waits (not lost, not failed) and the team hears once. */
  async #waitForFunds(
    payout: OpenPayout,
    order: PayoutOrder,
    shortfall: { native: bigint; token: bigint; needNative: bigint; needToken: bigint } | null,
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('payouts')
        .set({ state: 'waiting_funds', updated_at: this.clock.now() })
        .where('transaction_id', '=', payout.transactionId)
        .where('state', 'in', ['queued', 'waiting_funds', 'sent'])
        .execute();
      if (!(await this.#store.claimFundsNotice(trx, payout.transactionId, this.clock.now()))) return;
      const tx = await trx.selectFrom('transactions').select(['currency', 'amount']).where('id', '=', payout.transactionId).executeTakeFirstOrThrow();
      const currency = currencyByCode(tx.currency);
      this.logger.warn(
        {
          transactionId: payout.transactionId,
          network: this.#network,
          hotWallet: this.chain.signer.address,
          ...(shortfall === null
            ? {}
            : {
                native: shortfall.native.toString(),
                needNative: shortfall.needNative.toString(),
                token: shortfall.token.toString(),
                needToken: shortfall.needToken.toString(),
              }),
        },
        'hot wallet cannot cover a payout; it waits until the wallet is funded',
      );
      await this.audit.notify(trx, {
        bpId: payout.bpId,
        severity: 'warning',
        title: 'Payout waiting for the hot wallet',
        body: `Payout ${payout.transactionId} of ${formatAmount(BigInt(tx.amount), currency.decimals)} ${currency.code} is waiting: the ${this.#network} hot wallet does not hold enough ${order.token === null ? this.#network : `USDT and ${this.#network} for gas`} right now. It is not lost and will be sent once the wallet is topped up.`,
        link: `/transactions/${payout.transactionId}`,
      });
    });
  }
}
