import type { TronWeb } from 'tronweb';
import { type BroadcastResult, ChainRpcError, type OnChainStatus, type PayoutOrder, type PayoutSigner, type SignedPayout } from '../adapter.js';
import { request } from './client.js';
import { TronPayoutRefusal } from './errors.js';
import { accountSchema, broadcastSchema, constantCallSchema, estimateEnergySchema, type FeeParameters, feeParameters, nodeMessage } from './payout-wire.js';
import { base58FromHex, hexFromAddress, parseBlock, toChainBlock, transactionInfoSchema } from './wire.js';

/** Bandwidth bytes (serialized transaction + signature + 64 bytes of result space), rounded up generously. */
const TRX_TRANSFER_BYTES = 300n;
const TRC20_TRANSFER_BYTES = 400n;
/** Energy estimates move with the recipient's storage and the contract state: sign with 20 % headroom. */
const ENERGY_HEADROOM_PERCENT = 120n;

export interface TronSignerOptions {
  readonly network: 'TRX' | 'TRX-SHASTA';
  readonly tronWeb: TronWeb;
  /** The hot wallet's secp256k1 private key, 64 hex digits. Held in memory only; never logged. */
  readonly privateKey: string;
  readonly usdtContract: string;
  /** Most TRX (sun) a TRC-20 payout may burn for energy (the transaction's fee_limit cap). */
  readonly feeLimitSun: bigint;
  /** A signed transaction expires this long after the head block it was built on (java-tron allows up to 24 h). */
  readonly expirationMs: number;
}

interface Quote {
  /** The most the network fee can be (sun). */
  readonly maxFee: bigint;
  /** TRC-20: the fee_limit to sign with. */
  readonly feeLimit: bigint | null;
}

/**
 * Builds, signs (locally, with tronweb), broadcasts and follows Tron payouts from the hot
 * wallet. Tron has no nonces: a payout is only rebuilt once its previous transaction has
 * provably expired — the solidified head's time is past its `expiration` and it is in no block
 * — because java-tron includes a transaction only while its expiration is after the parent
 * block's time. Transactions reference the solidified block (TAPOS), so a fork of recent blocks
 * cannot invalidate a payout that was already broadcast.
 */
export class TronPayoutSigner implements PayoutSigner {
  readonly network: 'TRX' | 'TRX-SHASTA';
  readonly address: string;
  readonly usesNonces = false;
  readonly #tronWeb: TronWeb;
  readonly #key: string;
  readonly #token: string;
  readonly #feeLimitCap: bigint;
  readonly #expirationMs: number;

  constructor(options: TronSignerOptions) {
    this.network = options.network;
    this.#tronWeb = options.tronWeb;
    this.#key = options.privateKey.replace(/^0x/, '');
    const address = options.tronWeb.address.fromPrivateKey(this.#key);
    if (address === false) throw new Error(`the ${options.network} hot wallet key is not a valid secp256k1 private key`);
    this.address = address;
    this.#token = hexFromAddress(options.usdtContract);
    this.#feeLimitCap = options.feeLimitSun;
    this.#expirationMs = options.expirationMs;
  }

  /** Not the key: an object holding a signer must be safe to log. */
  toJSON(): Record<string, string> {
    return { network: this.network, address: this.address };
  }

  async #call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error: unknown) {
      if (error instanceof TronPayoutRefusal || error instanceof ChainRpcError) throw error;
      throw new ChainRpcError(this.network, operation, error);
    }
  }

  async #parameters(): Promise<FeeParameters> {
    return this.#call('getchainparameters', async () => feeParameters(await request(this.#tronWeb, 'wallet/getchainparameters', {})));
  }

  async #accountExists(address: string): Promise<boolean> {
    const account = await this.#call('getaccount', async () =>
      accountSchema.parse(await request(this.#tronWeb, 'wallet/getaccount', { address: hexFromAddress(address) })),
    );
    return account.address !== undefined || account.create_time !== undefined;
  }

  #transferData(to: string, amount: bigint): string {
    return `${hexFromAddress(to).slice(2).padStart(64, '0')}${amount.toString(16).padStart(64, '0')}`;
  }

  /** Energy the TRC-20 transfer needs: estimateenergy, or a constant-call dry run where the node does not offer it. */
  async #energy(order: PayoutOrder): Promise<bigint> {
    const call = {
      owner_address: hexFromAddress(this.address),
      contract_address: this.#token,
      function_selector: 'transfer(address,uint256)',
      parameter: this.#transferData(order.to, order.amount),
    };
    const estimate = await this.#call('estimateenergy', async () => estimateEnergySchema.parse(await request(this.#tronWeb, 'wallet/estimateenergy', call)));
    if (estimate.result.result === true && estimate.energy_required !== undefined) return estimate.energy_required;
    const why = nodeMessage(estimate.result.message);
    if (!/REVERT/i.test(why)) {
      const dry = await this.#call('triggerconstantcontract', async () =>
        constantCallSchema.parse(await request(this.#tronWeb, 'wallet/triggerconstantcontract', call)),
      );
      if (dry.result.result === true && dry.energy_used !== undefined) return dry.energy_used;
    }
    throw new TronPayoutRefusal(
      this.network,
      'transfer_would_revert',
      `The USDT transfer to ${order.to} would fail on chain: ${why || 'the dry run reverted'}.`,
    );
  }

  async #quote(order: PayoutOrder): Promise<Quote> {
    const params = await this.#parameters();
    if (order.token === null) {
      // Activating an account burns the creation fees in place of bandwidth; otherwise, at worst, every byte is burned.
      const creates = !(await this.#accountExists(order.to));
      return { maxFee: creates ? params.createNewAccountFee + params.createAccountFee : TRX_TRANSFER_BYTES * params.transactionFee, feeLimit: null };
    }
    const energy = await this.#energy(order);
    const cost = energy * params.energyFee;
    if (cost > this.#feeLimitCap) {
      throw new TronPayoutRefusal(
        this.network,
        'fee_limit_exceeded',
        `A USDT transfer now needs ${energy} energy (${cost} sun), above the fee limit of ${this.#feeLimitCap} sun; raise PAYGATE_TRON_FEE_LIMIT_SUN or stake energy for the hot wallet.`,
        { needed: cost, available: this.#feeLimitCap },
      );
    }
    const withHeadroom = (cost * ENERGY_HEADROOM_PERCENT) / 100n;
    const feeLimit = withHeadroom < this.#feeLimitCap ? withHeadroom : this.#feeLimitCap;
    return { maxFee: feeLimit + TRC20_TRANSFER_BYTES * params.transactionFee, feeLimit };
  }

  async estimateFee(order: PayoutOrder): Promise<bigint> {
    return (await this.#quote(order)).maxFee;
  }

  async balances(): Promise<{ readonly native: bigint; readonly token: bigint }> {
    const owner = hexFromAddress(this.address);
    const [account, token] = await Promise.all([
      this.#call('getaccount', async () => accountSchema.parse(await request(this.#tronWeb, 'wallet/getaccount', { address: owner }))),
      this.#call('triggerconstantcontract', async () =>
        constantCallSchema.parse(
          await request(this.#tronWeb, 'wallet/triggerconstantcontract', {
            owner_address: owner,
            contract_address: this.#token,
            function_selector: 'balanceOf(address)',
            parameter: owner.slice(2).padStart(64, '0'),
          }),
        ),
      ),
    ]);
    const word = token.constant_result?.[0];
    if (token.result.result !== true || word === undefined || !/^[0-9a-fA-F]{64}$/.test(word)) {
      throw new ChainRpcError(this.network, 'balanceOf', new Error(nodeMessage(token.result.message) || 'no constant_result'));
    }
    return { native: account.balance ?? 0n, token: BigInt(`0x${word}`) };
  }

  async sign(order: PayoutOrder, context: { readonly nonce: bigint | null; readonly replacing: SignedPayout | null }): Promise<SignedPayout> {
    if (context.replacing !== null && !(await this.expired(context.replacing))) {
      throw new TronPayoutRefusal(
        this.network,
        'rebuild_too_early',
        `Payout ${order.transactionId}: ${context.replacing.hash} may still land; it cannot be rebuilt before it has expired and is in no block.`,
      );
    }
    if (order.amount <= 0n || order.amount > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`payout amount ${order.amount} is out of range`);
    const { native, token } = await this.balances();
    if (order.token === 'USDT' && token < order.amount) {
      throw new TronPayoutRefusal(
        this.network,
        'hot_wallet_insufficient_usdt',
        `The ${this.network} hot wallet ${this.address} holds ${token} USDT units; this payout needs ${order.amount}.`,
        {
          needed: order.amount,
          available: token,
        },
      );
    }
    // Checked before the energy estimate: the node's dry run of a transfer the wallet cannot cover reverts.
    const quote = await this.#quote(order);
    const neededTrx = quote.maxFee + (order.token === null ? order.amount : 0n);
    if (native < neededTrx) {
      throw new TronPayoutRefusal(
        this.network,
        'hot_wallet_insufficient_trx',
        `The ${this.network} hot wallet ${this.address} holds ${native} sun; this payout needs up to ${neededTrx}.`,
        {
          needed: neededTrx,
          available: native,
        },
      );
    }
    const blockHeader = await this.#blockHeader();
    const signed = await this.#call('sign', async () => {
      const unsigned =
        order.token === null
          ? await this.#tronWeb.transactionBuilder.sendTrx(order.to, Number(order.amount), this.address, { blockHeader })
          : (
              await this.#tronWeb.transactionBuilder.triggerSmartContract(
                base58FromHex(this.#token),
                'transfer(address,uint256)',
                { feeLimit: Number(quote.feeLimit ?? this.#feeLimitCap), txLocal: true, blockHeader },
                [
                  { type: 'address', value: order.to },
                  { type: 'uint256', value: order.amount.toString() },
                ],
                this.address,
              )
            ).transaction;
      return this.#tronWeb.trx.sign(unsigned, this.#key, true, false);
    });
    return { hash: signed.txID, raw: JSON.stringify(signed), nonce: null, expiresAt: new Date(blockHeader.expiration), maxFee: quote.maxFee };
  }

  /** TAPOS reference = the solidified head (valid on every fork); expiration counted from the latest head's time. */
  async #blockHeader(): Promise<{ ref_block_bytes: string; ref_block_hash: string; expiration: number; timestamp: number }> {
    const [solid, latest] = await Promise.all([
      this.#call('walletsolidity/getnowblock', async () => parseBlock(await request(this.#tronWeb, 'walletsolidity/getnowblock', {}, true))),
      this.#call('getnowblock', async () => parseBlock(await request(this.#tronWeb, 'wallet/getnowblock', {}))),
    ]);
    if (solid === null || latest === null) throw new ChainRpcError(this.network, 'getnowblock', new Error('the node answered no block'));
    const ref = toChainBlock(solid);
    const now = toChainBlock(latest).timestamp.getTime();
    return {
      ref_block_bytes: (ref.number & 0xffffn).toString(16).padStart(4, '0'),
      ref_block_hash: ref.hash.slice(16, 32),
      expiration: now + this.#expirationMs,
      timestamp: now,
    };
  }

  async broadcast(raw: string): Promise<BroadcastResult> {
    const tx = JSON.parse(raw) as { txID?: unknown };
    const answer = await this.#call('broadcasttransaction', async () =>
      broadcastSchema.parse(await request(this.#tronWeb, 'wallet/broadcasttransaction', tx as Record<string, unknown>)),
    );
    if (answer.result === true) return { kind: 'accepted' };
    const reason = `${answer.code ?? 'OTHER_ERROR'}: ${nodeMessage(answer.message)}`;
    switch (answer.code) {
      case 'DUP_TRANSACTION_ERROR':
        return { kind: 'known' };
      case 'TRANSACTION_EXPIRATION_ERROR':
      case 'TAPOS_ERROR': {
        // Re-broadcast after a crash: the bytes may have landed before they expired.
        const hash = typeof tx.txID === 'string' ? tx.txID : '';
        const status = hash === '' ? { kind: 'absent' as const } : await this.status(hash);
        return status.kind === 'absent' ? { kind: 'rejected', reason } : { kind: 'known' };
      }
      case 'SIGERROR':
      case 'CONTRACT_VALIDATE_ERROR':
      case 'BANDWITH_ERROR':
      case 'TOO_BIG_TRANSACTION_ERROR':
      case 'CONTRACT_EXE_ERROR':
        return { kind: 'rejected', reason };
      default:
        // SERVER_BUSY, NO_CONNECTION, NOT_ENOUGH_EFFECTIVE_CONNECTION, OTHER_ERROR: the node may take it later.
        throw new ChainRpcError(this.network, 'broadcasttransaction', new Error(reason));
    }
  }

  async status(hash: string): Promise<OnChainStatus> {
    const info = await this.#call('gettransactioninfobyid', async () => {
      const json = await request(this.#tronWeb, 'wallet/gettransactioninfobyid', { value: hash });
      return typeof json === 'object' && json !== null && Object.keys(json).length === 0 ? null : transactionInfoSchema.parse(json);
    });
    if (info !== null && info.blockNumber !== undefined) {
      const block = await this.#call('getblockbynum', async () =>
        parseBlock(await request(this.#tronWeb, 'wallet/getblockbynum', { num: Number(info.blockNumber) })),
      );
      // The receipt's block left the chain between the two calls: report it pending, the next look settles it.
      if (block === null) return { kind: 'pending' };
      const receiptResult = info.receipt?.result;
      const success = info.result !== 'FAILED' && (receiptResult === undefined || receiptResult === 'SUCCESS');
      return {
        kind: 'mined',
        blockNumber: info.blockNumber,
        blockHash: toChainBlock(block).hash,
        success,
        feePaid: info.fee ?? 0n,
        ...(success ? {} : { failure: receiptResult ?? (nodeMessage(info.resMessage) || 'FAILED') }),
      };
    }
    const pending = await this.#call('gettransactionfrompending', async () => {
      try {
        return await request(this.#tronWeb, 'wallet/gettransactionfrompending', { value: hash });
      } catch (_error: unknown) {
        // Older nodes lack the endpoint: "not known to be pending" is all the pipeline needs (rebuilds rest on expiry).
        return {};
      }
    });
    return typeof pending === 'object' && pending !== null && 'txID' in pending ? { kind: 'pending' } : { kind: 'absent' };
  }

  /**
   * True when `signed` can never be included: the solidified head's time has reached its
   * expiration (every later block's parent is at least that old) and it is in no block.
   */
  async expired(signed: SignedPayout): Promise<boolean> {
    if (signed.expiresAt === null) return false;
    const solid = await this.#call('walletsolidity/getnowblock', async () => parseBlock(await request(this.#tronWeb, 'walletsolidity/getnowblock', {}, true)));
    if (solid === null || toChainBlock(solid).timestamp.getTime() < signed.expiresAt.getTime()) return false;
    const [full, solidified] = await Promise.all([
      this.#call('gettransactioninfobyid', async () => request(this.#tronWeb, 'wallet/gettransactioninfobyid', { value: signed.hash })),
      this.#call('walletsolidity/gettransactioninfobyid', async () =>
        request(this.#tronWeb, 'walletsolidity/gettransactioninfobyid', { value: signed.hash }, true),
      ),
    ]);
    const empty = (json: unknown) => typeof json === 'object' && json !== null && Object.keys(json).length === 0;
    return empty(full) && empty(solidified);
  }
}
