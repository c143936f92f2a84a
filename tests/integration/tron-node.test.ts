import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import type { TronWeb } from 'tronweb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRawData, MAINNET_GENESIS_ID, TRON_KEYS, TronNode, toHex41, tronAddressOf, tronWebFor } from '../support/tron-node/index.js';

// The Tron tests stand on this double; these prove it refuses what java-tron refuses, through the real tronweb client.
const [ALICE_KEY = '', BOB_KEY = '', CAROL_KEY = ''] = TRON_KEYS;
const ALICE = tronAddressOf(ALICE_KEY);
const BOB = tronAddressOf(BOB_KEY);
const CAROL = tronAddressOf(CAROL_KEY);
const TRX = 1_000_000n;

interface Broadcast {
  result?: boolean;
  code?: string;
  message?: string;
  txid?: string;
}

async function signedTrx(tronWeb: TronWeb, to: string, sun: bigint, from: string, key: string, header?: Record<string, unknown>) {
  const tx = await tronWeb.transactionBuilder.sendTrx(to, Number(sun), from, header === undefined ? {} : { blockHeader: header });
  return tronWeb.trx.sign(tx, key, true, true);
}

async function broadcast(tronWeb: TronWeb, tx: unknown): Promise<Broadcast> {
  return (await tronWeb.trx.sendRawTransaction(tx as never)) as unknown as Broadcast;
}

function hexText(message: string | undefined): string {
  return Buffer.from(message ?? '', 'hex').toString('utf8');
}

describe('Tron node double (real tronweb client)', () => {
  let node: TronNode;
  let tronWeb: TronWeb;
  let token: string;
  beforeAll(async () => {
    node = await TronNode.start({ solidLag: 3 });
    node.setBalance(ALICE, 1000n * TRX);
    node.setBalance(BOB, 5n * TRX);
    token = node.deployToken('USDT');
    node.mint(token, ALICE, 1_000_000_000n);
    node.produce(1);
    tronWeb = tronWebFor(node);
  });
  afterAll(async () => {
    await node.stop();
  });

  it('serves the genesis block without a number and block ids that encode the height', async () => {
    const genesis = (await tronWeb.trx.getBlockByNumber(0)) as unknown as { blockID: string; block_header: { raw_data: Record<string, unknown> } };
    expect(genesis.blockID).toBe(MAINNET_GENESIS_ID);
    expect(genesis.block_header.raw_data.number).toBeUndefined();
    const head = node.produce(4);
    const block = (await tronWeb.trx.getCurrentBlock()) as unknown as { blockID: string; block_header: { raw_data: { number: number; parentHash: string } } };
    expect(block.block_header.raw_data.number).toBe(head);
    expect(Number.parseInt(block.blockID.slice(0, 16), 16)).toBe(head);
    expect(block.block_header.raw_data.parentHash).toBe(node.chain.blocks[head - 1]?.id);
    const solid = (await tronWeb.trx.getConfirmedCurrentBlock()) as unknown as { block_header: { raw_data: { number: number } } };
    expect(solid.block_header.raw_data.number).toBe(head - 3);
    expect(await tronWeb.trx.getBlockByNumber(head + 5).catch((error: unknown) => String(error))).toContain('Block not found');
  });

  it('computes raw_data_hex and txID from the protobuf encoding (the published broadcasttransaction example)', () => {
    // From the java-tron HTTP API documentation's broadcasttransaction example.
    const rawData = {
      contract: [
        {
          parameter: {
            value: { amount: 1000, owner_address: '41608f8da72479edc7dd921e4c30bb7e7cddbe722e', to_address: '41e9d79cc47518930bc322d9bf7cddd260a0260a8d' },
            type_url: 'type.googleapis.com/protocol.TransferContract',
          },
          type: 'TransferContract',
        },
      ],
      ref_block_bytes: '5e4b',
      ref_block_hash: '47c9dc89341b300d',
      expiration: 1591089627000,
      timestamp: 1591089567635,
    };
    const published =
      '0a025e4b220847c9dc89341b300d40f8fed3a2a72e5a66080112620a2d747970652e676f6f676c65617069732e636f6d2f70726f746f636f6c2e5472616e73666572436f6e747261637412310a1541608f8da72479edc7dd921e4c30bb7e7cddbe722e121541e9d79cc47518930bc322d9bf7cddd260a0260a8d18e8077093afd0a2a72e';
    const encoded = encodeRawData(rawData);
    expect(encoded.rawDataHex).toBe(published);
    expect(encoded.txID).toBe(bytesToHex(sha256(hexToBytes(published))));
    expect(encodeRawData({ ...rawData, expiration: rawData.expiration + 1 }).txID).not.toBe(encoded.txID);
  });

  it('includes a signed TRX transfer and charges the account-activation fee for a new recipient', async () => {
    const before = node.balance(ALICE);
    const tx = await signedTrx(tronWeb, CAROL, 10n * TRX, ALICE, ALICE_KEY);
    const sent = await broadcast(tronWeb, tx);
    expect(sent).toMatchObject({ result: true, txid: tx.txID });
    expect(node.chain.find(tx.txID)).toBeNull();
    node.produce(1);
    const info = (await tronWeb.trx.getUnconfirmedTransactionInfo(tx.txID)) as unknown as { fee: number; receipt: { net_fee: number }; blockNumber: number };
    expect(info.blockNumber).toBe(node.chain.head.number);
    expect(info.fee).toBe(1_100_000);
    expect(info.receipt.net_fee).toBe(100_000);
    expect(node.balance(CAROL)).toBe(10n * TRX);
    expect(node.balance(ALICE)).toBe(before - 10n * TRX - 1_100_000n);
    const unconfirmed = await tronWeb.trx.getConfirmedTransaction(tx.txID).catch((error: unknown) => String(error));
    expect(unconfirmed).toContain('not found');
    // A second transfer to the now-existing account uses free bandwidth: no fee at all.
    const again = await signedTrx(tronWeb, CAROL, 1n * TRX, ALICE, ALICE_KEY);
    expect((await broadcast(tronWeb, again)).result).toBe(true);
    node.produce(1);
    const second = (await tronWeb.trx.getUnconfirmedTransactionInfo(again.txID)) as unknown as { fee?: number; receipt: { net_usage: number } };
    expect(second.fee).toBeUndefined();
    expect(second.receipt.net_usage).toBeGreaterThan(200);
  });

  it('refuses a transaction signed by a key other than the owner (SIGERROR), and a tampered raw_data', async () => {
    const tx = await tronWeb.transactionBuilder.sendTrx(BOB, 1_000_000, ALICE);
    const signedByBob = await tronWeb.trx.sign(tx, BOB_KEY, true, true);
    const refused = await broadcast(tronWeb, signedByBob);
    expect(refused.code).toBe('SIGERROR');
    expect(hexText(refused.message)).toContain('Validate signature error');
    const good = await tronWeb.trx.sign(await tronWeb.transactionBuilder.sendTrx(BOB, 1_000_000, ALICE), ALICE_KEY, true, true);
    const value = good.raw_data.contract[0]?.parameter.value as unknown as Record<string, unknown>;
    const tampered = {
      ...good,
      raw_data: {
        ...good.raw_data,
        contract: [{ ...good.raw_data.contract[0], parameter: { ...good.raw_data.contract[0]?.parameter, value: { ...value, amount: 900_000_000 } } }],
      },
    };
    expect((await broadcast(tronWeb, tampered)).code).toBe('SIGERROR');
    expect(node.chain.pool).toHaveLength(0);
  });

  it('refuses a duplicate, in the pool and after inclusion (DUP_TRANSACTION_ERROR)', async () => {
    const tx = await signedTrx(tronWeb, BOB, 2n * TRX, ALICE, ALICE_KEY);
    expect((await broadcast(tronWeb, tx)).result).toBe(true);
    expect((await broadcast(tronWeb, tx)).code).toBe('DUP_TRANSACTION_ERROR');
    node.produce(1);
    expect((await broadcast(tronWeb, tx)).code).toBe('DUP_TRANSACTION_ERROR');
    expect(node.chain.head.transactions.filter((t) => t.tx.txID === tx.txID)).toHaveLength(1);
  });

  it('refuses an expired transaction and drops a pooled one that expires before a block', async () => {
    const head = node.chain.head;
    const refBlock = { ref_block_bytes: head.number.toString(16).slice(-4).padStart(4, '0'), ref_block_hash: head.id.slice(16, 32), timestamp: head.timestamp };
    const expired = await signedTrx(tronWeb, BOB, 1n * TRX, ALICE, ALICE_KEY, { ...refBlock, expiration: head.timestamp });
    const refused = await broadcast(tronWeb, expired);
    expect(refused.code).toBe('TRANSACTION_EXPIRATION_ERROR');
    const short = await signedTrx(tronWeb, BOB, 1n * TRX, ALICE, ALICE_KEY, { ...refBlock, expiration: head.timestamp + 2000 });
    expect((await broadcast(tronWeb, short)).result).toBe(true);
    // The next block comes 6 s later: its parent's time is before the expiration, so it still lands...
    node.produce(1, { gapMs: 6000 });
    expect(node.chain.find(short.txID)).not.toBeNull();
    const now = node.chain.head;
    const missed = await signedTrx(tronWeb, BOB, 1n * TRX, ALICE, ALICE_KEY, {
      ref_block_bytes: now.number.toString(16).slice(-4).padStart(4, '0'),
      ref_block_hash: now.id.slice(16, 32),
      timestamp: now.timestamp,
      expiration: now.timestamp + 1000,
    });
    expect((await broadcast(tronWeb, missed)).result).toBe(true);
    // ...but one that misses the next block is past its expiration for every later one: dropped, never included.
    node.produce(1, { withhold: true });
    expect(node.chain.pool.map((p) => p.txID)).toContain(missed.txID);
    node.produce(3);
    expect(node.chain.find(missed.txID)).toBeNull();
    expect(node.chain.pool).toHaveLength(0);
    expect((await broadcast(tronWeb, missed)).code).toBe('TRANSACTION_EXPIRATION_ERROR');
  });

  it('refuses a reference block that is not in the chain (TAPOS_ERROR) and insufficient balance', async () => {
    const head = node.chain.head;
    const tapos = await signedTrx(tronWeb, BOB, 1n * TRX, ALICE, ALICE_KEY, {
      ref_block_bytes: head.number.toString(16).slice(-4).padStart(4, '0'),
      ref_block_hash: 'ffffffffffffffff',
      timestamp: head.timestamp,
      expiration: head.timestamp + 60_000,
    });
    expect((await broadcast(tronWeb, tapos)).code).toBe('TAPOS_ERROR');
    const tooMuch = await signedTrx(tronWeb, ALICE, node.balance(BOB) + 1n, BOB, BOB_KEY);
    const refused = await broadcast(tronWeb, tooMuch);
    expect(refused.code).toBe('CONTRACT_VALIDATE_ERROR');
    expect(hexText(refused.message)).toContain('balance is not sufficient');
  });

  it('moves TRC-20 tokens with a Transfer log, and includes an OUT_OF_ENERGY call that moves nothing', async () => {
    const transfer = async (feeLimit: number, amount: bigint) => {
      const { transaction } = await tronWeb.transactionBuilder.triggerSmartContract(
        token,
        'transfer(address,uint256)',
        { feeLimit, txLocal: true },
        [
          { type: 'address', value: BOB },
          { type: 'uint256', value: amount.toString() },
        ],
        ALICE,
      );
      return tronWeb.trx.sign(transaction, ALICE_KEY, true, true);
    };
    const estimate = (await tronWeb.transactionBuilder.estimateEnergy(
      token,
      'transfer(address,uint256)',
      {},
      [
        { type: 'address', value: BOB },
        { type: 'uint256', value: '5000000' },
      ],
      ALICE,
    )) as unknown as { energy_required: number };
    expect(estimate.energy_required).toBe(64_285);
    const ok = await transfer(100_000_000, 5_000_000n);
    expect((await broadcast(tronWeb, ok)).result).toBe(true);
    node.produce(1);
    const info = (await tronWeb.trx.getUnconfirmedTransactionInfo(ok.txID)) as unknown as {
      receipt: { result: string; energy_usage_total: number; energy_fee: number };
      log: { address: string; topics: string[]; data: string }[];
    };
    expect(info.receipt.result).toBe('SUCCESS');
    expect(info.receipt.energy_fee).toBe(64_285 * 210);
    expect(info.log).toHaveLength(1);
    expect(`41${info.log[0]?.address}`).toBe(toHex41(token));
    expect(BigInt(`0x${info.log[0]?.data}`)).toBe(5_000_000n);
    expect(node.tokenBalance(token, BOB)).toBe(5_000_000n);

    const aliceBefore = node.balance(ALICE);
    const starved = await transfer(1_000_000, 7_000_000n);
    expect((await broadcast(tronWeb, starved)).result).toBe(true);
    node.produce(1);
    const failed = (await tronWeb.trx.getUnconfirmedTransactionInfo(starved.txID)) as unknown as {
      result: string;
      receipt: { result: string; energy_fee: number };
      log?: unknown[];
    };
    expect(failed.result).toBe('FAILED');
    expect(failed.receipt.result).toBe('OUT_OF_ENERGY');
    expect(failed.log).toBeUndefined();
    expect(node.chain.find(starved.txID)?.included.ret).toBe('OUT_OF_ENERGY');
    expect(node.tokenBalance(token, BOB)).toBe(5_000_000n);
    // The energy bought up to fee_limit is burned anyway.
    expect(aliceBefore - node.balance(ALICE)).toBeGreaterThanOrEqual(failed.receipt.energy_fee);
    expect(failed.receipt.energy_fee).toBeLessThanOrEqual(1_000_000);
  });

  it('includes a TRC-20 transfer beyond the sender balance as REVERT (energy burned, nothing moved)', async () => {
    const { transaction } = await tronWeb.transactionBuilder.triggerSmartContract(
      token,
      'transfer(address,uint256)',
      { feeLimit: 100_000_000, txLocal: true },
      [
        { type: 'address', value: ALICE },
        { type: 'uint256', value: '1' },
      ],
      CAROL,
    );
    const tx = await tronWeb.trx.sign(transaction, CAROL_KEY, true, true);
    expect((await broadcast(tronWeb, tx)).result).toBe(true);
    const carolBefore = node.balance(CAROL);
    node.produce(1);
    const info = (await tronWeb.trx.getUnconfirmedTransactionInfo(tx.txID)) as unknown as { result: string; fee: number; receipt: { result: string } };
    expect(info.receipt.result).toBe('REVERT');
    expect(info.result).toBe('FAILED');
    expect(BigInt(info.fee)).toBe(carolBefore - node.balance(CAROL));
    expect(node.tokenBalance(token, CAROL)).toBe(0n);
    const dryRun = (await tronWeb.transactionBuilder
      .estimateEnergy(
        token,
        'transfer(address,uint256)',
        {},
        [
          { type: 'address', value: ALICE },
          { type: 'uint256', value: '1' },
        ],
        CAROL,
      )
      .catch((error: unknown) => String(error))) as string;
    expect(dryRun).toContain('REVERT');
  });

  it('keeps token contracts apart: a look-alike token moves its own balances only', async () => {
    const fake = node.deployToken('USDT');
    node.mint(fake, ALICE, 50n);
    const { transaction } = await tronWeb.transactionBuilder.triggerSmartContract(
      fake,
      'transfer(address,uint256)',
      { feeLimit: 100_000_000, txLocal: true },
      [
        { type: 'address', value: CAROL },
        { type: 'uint256', value: '50' },
      ],
      ALICE,
    );
    const tx = await tronWeb.trx.sign(transaction, ALICE_KEY, true, true);
    expect((await broadcast(tronWeb, tx)).result).toBe(true);
    node.produce(1);
    expect(node.tokenBalance(fake, CAROL)).toBe(50n);
    expect(node.tokenBalance(token, CAROL)).toBe(0n);
    const info = (await tronWeb.trx.getUnconfirmedTransactionInfo(tx.txID)) as unknown as { log: { address: string }[] };
    expect(`41${info.log[0]?.address}`).toBe(toHex41(fake));
  });

  it('re-includes the forked-away transactions when asked (same txID, new block)', async () => {
    node.produce(4);
    const tx = await signedTrx(tronWeb, BOB, 1n * TRX, ALICE, ALICE_KEY);
    expect((await broadcast(tronWeb, tx)).result).toBe(true);
    const height = node.produce(1);
    const before = node.chain.find(tx.txID)?.block.id;
    node.fork(1, { reinclude: true });
    const after = node.chain.find(tx.txID);
    expect(after?.block.number).toBe(height);
    expect(after?.block.id).not.toBe(before);
  });

  it('forks unsolidified blocks away (their transactions vanish) and refuses to fork solidified ones', async () => {
    node.produce(4);
    const tx = await signedTrx(tronWeb, BOB, 1n * TRX, ALICE, ALICE_KEY);
    expect((await broadcast(tronWeb, tx)).result).toBe(true);
    node.produce(1);
    const replacedId = node.chain.head.id;
    const height = node.chain.head.number;
    node.fork(1);
    expect(node.chain.head.number).toBe(height + 1);
    expect(node.chain.blocks[height]?.id).not.toBe(replacedId);
    expect(await tronWeb.trx.getUnconfirmedTransactionInfo(tx.txID)).toEqual({});
    expect(() => node.fork(4)).toThrow(/unsolidified/);
  });

  it('goes backwards when asked, and answers 5xx or nothing when told to', async () => {
    const head = node.chain.head.number;
    node.hideTop(2);
    const block = (await tronWeb.trx.getCurrentBlock()) as unknown as { block_header: { raw_data: { number: number } } };
    expect(block.block_header.raw_data.number).toBe(head - 2);
    node.hideTop(0);
    node.fail(1, 503);
    expect(await tronWeb.trx.getCurrentBlock().catch((error: unknown) => String(error))).toContain('503');
    const impatient = tronWebFor(node, { timeoutMs: 200 });
    node.hang(1);
    expect(await impatient.trx.getCurrentBlock().catch((error: unknown) => String(error))).toMatch(/timeout/i);
    expect(((await tronWeb.trx.getCurrentBlock()) as unknown as { block_header: { raw_data: { number: number } } }).block_header.raw_data.number).toBe(head);
  });

  it('requires the API key header when configured', async () => {
    const guarded = await TronNode.start({ apiKey: 'k-123' });
    try {
      expect(
        await tronWebFor(guarded)
          .trx.getCurrentBlock()
          .catch((error: unknown) => String(error)),
      ).toContain('401');
      const ok = (await tronWebFor(guarded, { headers: { 'TRON-PRO-API-KEY': 'k-123' } }).trx.getCurrentBlock()) as unknown as { blockID: string };
      expect(ok.blockID).toBe(MAINNET_GENESIS_ID);
    } finally {
      await guarded.stop();
    }
  });
});
