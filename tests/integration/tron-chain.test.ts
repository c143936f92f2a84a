import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ChainRpcError, NetworkMismatchError, type PayoutOrder } from '../../apps/server/src/modules/chains/adapter.js';
import { createTronWeb } from '../../apps/server/src/modules/chains/tron/client.js';
import { TronPayoutRefusal } from '../../apps/server/src/modules/chains/tron/errors.js';
import { TRON_GENESIS_BLOCK_ID } from '../../apps/server/src/modules/chains/tron/genesis.js';
import { TronChainReader } from '../../apps/server/src/modules/chains/tron/reader.js';
import { TronPayoutSigner } from '../../apps/server/src/modules/chains/tron/signer.js';
import {
  ENERGY_TRANSFER_EXISTING_HOLDER,
  ENERGY_TRANSFER_NEW_HOLDER,
  SHASTA_GENESIS_ID,
  TRON_KEYS,
  TronNode,
  tronAddressOf,
  tronWebFor,
} from '../support/tron-node/index.js';

const [HOT_KEY = '', PAYER_KEY = '', SPARE_KEY = ''] = TRON_KEYS;
const HOT = tronAddressOf(HOT_KEY);
const PAYER = tronAddressOf(PAYER_KEY);
const SPARE = tronAddressOf(SPARE_KEY);
const TRX = 1_000_000n;
const ENERGY_FEE = 210n;
const EXPIRATION_MS = 9_000;

/** A fresh address nobody has used (its account does not exist on chain). */
let fresh = 0;
function freshAddress(): string {
  fresh++;
  return tronAddressOf(fresh.toString(16).padStart(64, '0').replace(/^0/, 'a'));
}

describe('Tron reader and payout signer against the node double', () => {
  let node: TronNode;
  let usdt: string;
  let lookAlike: string;
  let reader: TronChainReader;
  let signer: TronPayoutSigner;

  async function pay(to: string, amount: bigint, token: 'USDT' | null = null, key = PAYER_KEY): Promise<string> {
    const tw = tronWebFor(node);
    const from = tronAddressOf(key);
    const unsigned =
      token === null
        ? await tw.transactionBuilder.sendTrx(to, Number(amount), from)
        : (
            await tw.transactionBuilder.triggerSmartContract(
              usdt,
              'transfer(address,uint256)',
              { feeLimit: 100_000_000, txLocal: true },
              [
                { type: 'address', value: to },
                { type: 'uint256', value: amount.toString() },
              ],
              from,
            )
          ).transaction;
    const signed = await tw.trx.sign(unsigned, key, true, false);
    const result = (await tw.trx.sendRawTransaction(signed)) as unknown as { result?: boolean; code?: string };
    if (result.result !== true) throw new Error(`broadcast refused: ${result.code}`);
    return signed.txID;
  }

  function makeSigner(options: { feeLimitSun?: bigint } = {}): TronPayoutSigner {
    return new TronPayoutSigner({
      network: 'TRX',
      tronWeb: createTronWeb({ apiUrl: node.url, timeoutMs: 1000 }),
      privateKey: HOT_KEY,
      usdtContract: usdt,
      feeLimitSun: options.feeLimitSun ?? 50n * TRX,
      expirationMs: EXPIRATION_MS,
    });
  }

  beforeAll(async () => {
    node = await TronNode.start({ solidLag: 2 });
    usdt = node.deployToken('USDT');
    lookAlike = node.deployToken('USDT');
    node.setBalance(PAYER, 10_000n * TRX);
    node.mint(usdt, PAYER, 1_000_000_000_000n);
    node.mint(lookAlike, PAYER, 1_000_000_000_000n);
    node.produce(3);
    reader = new TronChainReader({
      network: 'TRX',
      tronWeb: createTronWeb({ apiUrl: node.url, timeoutMs: 1000 }),
      usdtContract: usdt,
      genesisBlockId: TRON_GENESIS_BLOCK_ID.TRX,
    });
    signer = makeSigner();
  });
  afterAll(async () => {
    await node.stop();
  });
  beforeEach(() => {
    node.setBalance(HOT, 1_000n * TRX);
    node.mint(usdt, HOT, 1_000_000_000n - node.tokenBalance(usdt, HOT));
  });

  describe('reader', () => {
    it('accepts a node with the configured genesis and refuses another network', async () => {
      await expect(reader.verifyNetwork()).resolves.toBeUndefined();
      const shasta = await TronNode.start({ genesisId: SHASTA_GENESIS_ID });
      try {
        const wrong = new TronChainReader({
          network: 'TRX',
          tronWeb: createTronWeb({ apiUrl: shasta.url }),
          usdtContract: usdt,
          genesisBlockId: TRON_GENESIS_BLOCK_ID.TRX,
        });
        const error = await wrong.verifyNetwork().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(NetworkMismatchError);
        expect(String(error)).toContain(SHASTA_GENESIS_ID);
      } finally {
        await shasta.stop();
      }
    });

    it('reports the head and the solidified height as final', async () => {
      const latest = node.produce(1);
      expect(await reader.head()).toEqual({ latest: BigInt(latest), final: BigInt(latest - 2) });
      node.setSolidLag(0);
      expect((await reader.head()).final).toBe(BigInt(latest));
      node.setSolidLag(2);
    });

    it('finds TRX and USDT deposits with stable identities; not OUT_OF_ENERGY, not a look-alike, not zero', async () => {
      const to = freshAddress();
      const trxTx = await pay(to, 7n * TRX);
      const usdtTx = await pay(to, 12_340_000n, 'USDT');
      // A look-alike token's Transfer to the same address must not count.
      const tw = tronWebFor(node);
      const fake = await tw.transactionBuilder.triggerSmartContract(
        lookAlike,
        'transfer(address,uint256)',
        { feeLimit: 100_000_000, txLocal: true },
        [
          { type: 'address', value: to },
          { type: 'uint256', value: '999000000' },
        ],
        PAYER,
      );
      await tw.trx.sendRawTransaction(await tw.trx.sign(fake.transaction, PAYER_KEY, true, false));
      // An OUT_OF_ENERGY transfer is in the block but moves nothing.
      const starved = await tw.transactionBuilder.triggerSmartContract(
        usdt,
        'transfer(address,uint256)',
        { feeLimit: 1_000_000, txLocal: true },
        [
          { type: 'address', value: to },
          { type: 'uint256', value: '5000000' },
        ],
        PAYER,
      );
      const starvedTx = await tw.trx.sign(starved.transaction, PAYER_KEY, true, false);
      await tw.trx.sendRawTransaction(starvedTx);
      const height = BigInt(node.produce(1));
      expect(node.chain.find(starvedTx.txID)?.included.ret).toBe('OUT_OF_ENERGY');
      const [scan] = await reader.scan(height, height);
      if (scan === undefined) throw new Error('no scan');
      const mine = scan.transfers.filter((t) => t.to === to);
      expect(mine).toEqual([
        {
          network: 'TRX',
          token: null,
          txHash: trxTx,
          position: -1,
          blockNumber: height,
          blockHash: node.chain.blocks[Number(height)]?.id,
          from: PAYER,
          to,
          amount: 7n * TRX,
        },
        {
          network: 'TRX',
          token: 'USDT',
          txHash: usdtTx,
          position: 0,
          blockNumber: height,
          blockHash: node.chain.blocks[Number(height)]?.id,
          from: PAYER,
          to,
          amount: 12_340_000n,
        },
      ]);
      expect(scan.block.parentHash).toBe(node.chain.blocks[Number(height) - 1]?.id);
      // A rescan sees exactly the same observations.
      const again = await reader.scan(height - 1n, height);
      expect(again.map((s) => s.block.number)).toEqual([height - 1n, height]);
      expect(again[1]?.transfers).toEqual(scan.transfers);
    });

    it('sees a fork: the pending deposit is gone and the new block has another hash', async () => {
      const to = freshAddress();
      await pay(to, 3n * TRX);
      const height = node.produce(1);
      const before = await reader.block(BigInt(height));
      expect((await reader.scan(BigInt(height), BigInt(height)))[0]?.transfers.some((t) => t.to === to)).toBe(true);
      node.fork(1);
      const after = await reader.block(BigInt(height));
      expect(after?.hash).not.toBe(before?.hash);
      expect((await reader.scan(BigInt(height), BigInt(height + 1))).flatMap((s) => s.transfers).some((t) => t.to === to)).toBe(false);
    });

    it('stops at the node’s head when it goes backwards, and turns node failures into ChainRpcError', async () => {
      const height = node.produce(2);
      node.hideTop(2);
      try {
        expect((await reader.head()).latest).toBe(BigInt(height - 2));
        expect(await reader.block(BigInt(height))).toBeNull();
        expect((await reader.scan(BigInt(height - 3), BigInt(height))).map((s) => s.block.number)).toEqual([BigInt(height - 3), BigInt(height - 2)]);
      } finally {
        node.hideTop(0);
      }
      node.fail(1, 502);
      await expect(reader.head()).rejects.toBeInstanceOf(ChainRpcError);
      node.hang(1, /getblockbynum/);
      await expect(reader.scan(BigInt(height), BigInt(height))).rejects.toBeInstanceOf(ChainRpcError);
      expect((await reader.head()).latest).toBe(BigInt(height));
    });

    it('sends the API key header when configured', async () => {
      const guarded = await TronNode.start({ apiKey: 'secret-key' });
      try {
        const without = new TronChainReader({
          network: 'TRX',
          tronWeb: createTronWeb({ apiUrl: guarded.url }),
          usdtContract: usdt,
          genesisBlockId: TRON_GENESIS_BLOCK_ID.TRX,
        });
        await expect(without.verifyNetwork()).rejects.toBeInstanceOf(ChainRpcError);
        const withKey = new TronChainReader({
          network: 'TRX',
          tronWeb: createTronWeb({ apiUrl: guarded.url, apiKey: 'secret-key' }),
          usdtContract: usdt,
          genesisBlockId: TRON_GENESIS_BLOCK_ID.TRX,
        });
        await expect(withKey.verifyNetwork()).resolves.toBeUndefined();
      } finally {
        await guarded.stop();
      }
    });
  });

  describe('payout signer', () => {
    const order = (to: string, amount: bigint, token: 'USDT' | null = null): PayoutOrder => ({ transactionId: `tx-${to}`, network: 'TRX', token, to, amount });

    it('pays TRX to a new account: the activation fee is estimated, and feePaid is exactly what the chain burned', async () => {
      const to = freshAddress();
      const payout = order(to, 25n * TRX);
      expect(await signer.estimateFee(payout)).toBe(1_100_000n);
      const before = node.balance(HOT);
      const signed = await signer.sign(payout, { nonce: null, replacing: null });
      expect(signed.nonce).toBeNull();
      expect(signed.expiresAt?.getTime()).toBe(node.chain.head.timestamp + EXPIRATION_MS);
      expect(await signer.status(signed.hash)).toEqual({ kind: 'absent' });
      expect(await signer.broadcast(signed.raw)).toEqual({ kind: 'accepted' });
      expect(await signer.status(signed.hash)).toEqual({ kind: 'pending' });
      // A re-broadcast of the stored bytes (after a crash) is recognised, never a second transfer.
      expect(await signer.broadcast(signed.raw)).toEqual({ kind: 'known' });
      const height = node.produce(1);
      const status = await signer.status(signed.hash);
      expect(status).toEqual({ kind: 'mined', blockNumber: BigInt(height), blockHash: node.chain.head.id, success: true, feePaid: 1_100_000n });
      expect(node.balance(to)).toBe(25n * TRX);
      expect(before - node.balance(HOT)).toBe(25n * TRX + 1_100_000n);
      expect(await signer.broadcast(signed.raw)).toEqual({ kind: 'known' });
    });

    it('pays USDT: energy estimated and capped by fee_limit; feePaid = energy + bandwidth burned', async () => {
      const to = freshAddress();
      const payout = order(to, 50_000_000n, 'USDT');
      const fee = await signer.estimateFee(payout);
      expect(fee).toBe((ENERGY_TRANSFER_NEW_HOLDER * ENERGY_FEE * 120n) / 100n + 400n * 1000n);
      const signed = await signer.sign(payout, { nonce: null, replacing: null });
      expect(signed.maxFee).toBe(fee);
      expect(await signer.broadcast(signed.raw)).toEqual({ kind: 'accepted' });
      node.produce(1);
      const status = await signer.status(signed.hash);
      if (status.kind !== 'mined') throw new Error(`expected mined, got ${status.kind}`);
      const info = node.chain.find(signed.hash)?.included.info;
      expect(status.success).toBe(true);
      expect(status.feePaid).toBe(BigInt(info?.fee ?? -1));
      expect(status.feePaid).toBeGreaterThanOrEqual(ENERGY_TRANSFER_NEW_HOLDER * ENERGY_FEE);
      expect(node.tokenBalance(usdt, to)).toBe(50_000_000n);
      expect(await signer.balances()).toEqual({ native: node.balance(HOT), token: node.tokenBalance(usdt, HOT) });
    });

    it('reports OUT_OF_ENERGY as a failed payout that moved nothing, with the TRX it burned', async () => {
      const to = freshAddress();
      await pay(to, 1n, 'USDT');
      node.produce(1);
      // Signed while the recipient holds tokens (cheap storage)...
      const signed = await signer.sign(order(to, 10_000_000n, 'USDT'), { nonce: null, replacing: null });
      const limit = (ENERGY_TRANSFER_EXISTING_HOLDER * ENERGY_FEE * 120n) / 100n;
      expect(signed.maxFee).toBe(limit + 400n * 1000n);
      // ...but the recipient empties its balance first, so the transfer needs a fresh slot: more energy than fee_limit buys.
      node.mint(usdt, to, -node.tokenBalance(usdt, to));
      expect(await signer.broadcast(signed.raw)).toEqual({ kind: 'accepted' });
      node.produce(1);
      const status = await signer.status(signed.hash);
      expect(status).toMatchObject({ kind: 'mined', success: false, failure: 'OUT_OF_ENERGY' });
      expect(node.tokenBalance(usdt, to)).toBe(0n);
      if (status.kind === 'mined') expect(status.feePaid).toBeLessThanOrEqual(limit + 400n * 1000n);
    });

    it('refuses with a clear code when the hot wallet cannot pay, or the energy is above the fee limit', async () => {
      node.setBalance(HOT, 500_000n);
      const trx = await signer.sign(order(freshAddress(), 1n * TRX), { nonce: null, replacing: null }).catch((e: unknown) => e);
      expect(trx).toBeInstanceOf(TronPayoutRefusal);
      expect(trx).toMatchObject({ code: 'hot_wallet_insufficient_trx', details: { needed: 1n * TRX + 1_100_000n, available: 500_000n } });
      node.setBalance(HOT, 1_000n * TRX);
      const usdtShort = await signer.sign(order(freshAddress(), 2_000_000_000n, 'USDT'), { nonce: null, replacing: null }).catch((e: unknown) => e);
      expect(usdtShort).toMatchObject({ code: 'hot_wallet_insufficient_usdt', details: { available: 1_000_000_000n } });
      const tight = makeSigner({ feeLimitSun: 5n * TRX });
      const capped = await tight.estimateFee(order(freshAddress(), 1_000_000n, 'USDT')).catch((e: unknown) => e);
      expect(capped).toMatchObject({ code: 'fee_limit_exceeded' });
      expect(String((capped as Error).message)).toContain('PAYGATE_TRON_FEE_LIMIT_SUN');
      expect(node.chain.pool).toHaveLength(0);
    });

    it('rebuilds only after the previous transaction provably expired: at most one transfer lands', async () => {
      const to = freshAddress();
      const payout = order(to, 4n * TRX);
      const first = await signer.sign(payout, { nonce: null, replacing: null });
      expect(await signer.broadcast(first.raw)).toEqual({ kind: 'accepted' });
      // The node loses it (restarted, or it never reached a producer).
      node.forgetPending();
      expect(await signer.status(first.hash)).toEqual({ kind: 'absent' });
      expect(await signer.expired(first)).toBe(false);
      await expect(signer.sign(payout, { nonce: null, replacing: first })).rejects.toMatchObject({ code: 'rebuild_too_early' });
      // Until the solidified head's time passes the expiration, the old bytes could still be broadcast and land.
      node.produce(2);
      expect(await signer.expired(first)).toBe(false);
      node.produce(4);
      expect(await signer.expired(first)).toBe(true);
      const second = await signer.sign(payout, { nonce: null, replacing: first });
      expect(second.hash).not.toBe(first.hash);
      expect(await signer.broadcast(second.raw)).toEqual({ kind: 'accepted' });
      // The stale bytes are refused for good (expired), never a second transfer.
      expect(await signer.broadcast(first.raw)).toMatchObject({ kind: 'rejected' });
      node.produce(1);
      expect(node.balance(to)).toBe(4n * TRX);
      expect(await signer.status(first.hash)).toEqual({ kind: 'absent' });
    });

    it('does not treat a transaction sitting in an unsolidified block as expired', async () => {
      const to = freshAddress();
      const signed = await signer.sign(order(to, 2n * TRX), { nonce: null, replacing: null });
      await signer.broadcast(signed.raw);
      node.setSolidLag(8);
      try {
        node.produce(6);
        expect(await signer.expired(signed)).toBe(false);
        expect((await signer.status(signed.hash)).kind).toBe('mined');
        await expect(signer.sign(order(to, 2n * TRX), { nonce: null, replacing: signed })).rejects.toMatchObject({ code: 'rebuild_too_early' });
      } finally {
        node.setSolidLag(2);
      }
    });

    it('a re-broadcast after a restart lands once: accepted, then known', async () => {
      const to = freshAddress();
      const signed = await signer.sign(order(to, 1n * TRX), { nonce: null, replacing: null });
      // Crash after storing, before broadcasting: the restarted worker broadcasts the stored bytes.
      const restarted = makeSigner();
      expect(await restarted.broadcast(signed.raw)).toEqual({ kind: 'accepted' });
      // Crash after broadcasting: broadcast again → known.
      expect(await makeSigner().broadcast(signed.raw)).toEqual({ kind: 'known' });
      node.produce(1);
      expect(await makeSigner().broadcast(signed.raw)).toEqual({ kind: 'known' });
      expect(node.balance(to)).toBe(1n * TRX);
    });

    it('fails with ChainRpcError while the node is down or erroring, and never logs the key', async () => {
      node.fail(2, 503);
      await expect(signer.balances()).rejects.toBeInstanceOf(ChainRpcError);
      node.hang(1, /getchainparameters/);
      await expect(signer.estimateFee(order(SPARE, 1n * TRX))).rejects.toBeInstanceOf(ChainRpcError);
      expect(JSON.stringify(signer)).not.toContain(HOT_KEY);
      expect(JSON.stringify(signer)).toContain(HOT);
    });
  });
});
