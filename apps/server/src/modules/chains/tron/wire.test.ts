import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { accountSchema, broadcastSchema, estimateEnergySchema, feeParameters, nodeMessage } from './payout-wire.js';
import {
  base58FromHex,
  blockTransfers,
  hexFromAddress,
  memoizedBase58,
  parseBlock,
  toChainBlock,
  transactionInfoListSchema,
  transactionInfoSchema,
} from './wire.js';

// Fixtures follow the response examples of the java-tron HTTP API documentation.
function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
}

const USDT = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';

describe('Tron wire parsing (java-tron HTTP JSON)', () => {
  it('reads receipts by block number, with int64 fields as numbers or strings', () => {
    const infos = transactionInfoListSchema.parse(fixture('gettransactioninfobyblocknum.json'));
    expect(infos.map((i) => i.id)).toEqual([
      'ff44a2823a870c12f12a4ca6e7647650356bc2bb5e02c5855312cf2db4c950c1',
      '0419405287081aa44f4d78725e6fabac8d14e71abf9e28825ad4f4e61a5bccb7',
    ]);
    expect(infos[0]?.blockNumber).toBe(66_987_565n);
    // The full receipt (what a payout's status reads): fees as bigints, from numbers or strings.
    const [first] = fixture('gettransactioninfobyblocknum.json') as unknown[];
    const receipt = transactionInfoSchema.parse(first);
    expect(receipt.fee).toBe(267_000n);
    expect(receipt.receipt?.net_fee).toBe(267_000n);
    expect(transactionInfoSchema.parse({ id: 'ff'.repeat(32), fee: '267000', blockNumber: '66987565' }).fee).toBe(267_000n);
    // java-tron answers {} for block 0 and [] for an empty block.
    expect(transactionInfoListSchema.parse({})).toEqual([]);
    expect(transactionInfoListSchema.parse([])).toEqual([]);
    expect(() => transactionInfoListSchema.parse({ Error: 'class java.lang.NumberFormatException' })).toThrow();
    expect(() => transactionInfoListSchema.parse([{ id: 'not hex', fee: 1 }])).toThrow();
  });

  it('reads the genesis block without number or timestamp, and {} as no block', () => {
    const genesis = parseBlock(fixture('getnowblock-genesis.json'));
    if (genesis === null) throw new Error('expected a block');
    expect(toChainBlock(genesis)).toEqual({
      number: 0n,
      hash: '00000000000000001ebf88508a03865c71d452e25f4d51194196a1d22b6653dc',
      parentHash: '957dc2d350daecc7bb6a38f3938ebde0a0c1cedafe15f0edae4256a2907449f6',
      timestamp: new Date(0),
    });
    expect(parseBlock({})).toBeNull();
    expect(() => parseBlock({ blockID: 'short', block_header: {} })).toThrow();
    const header = { blockID: 'ab'.repeat(32), block_header: { raw_data: { number: 5, parentHash: 'cd'.repeat(32) } } };
    expect(() =>
      parseBlock({ ...header, transactions: [{ txID: 'ef'.repeat(32), raw_data: { contract: [{ type: 'TransferContract', parameter: { value: 'x' } }] } }] }),
    ).toThrow();
    expect(() => parseBlock({ ...header, transactions: [{ txID: 'ef'.repeat(32), raw_data: {} }] })).toThrow();
  });

  it('finds TRX transfers and USDT Transfer logs of SUCCESS receipts only, from the configured contract only', () => {
    const block = parseBlock(fixture('getblockbynum-mixed.json'));
    if (block === null) throw new Error('expected a block');
    const infos = transactionInfoListSchema.parse(fixture('gettransactioninfobyblocknum-mixed.json'));
    const transfers = blockTransfers('TRX', block, infos, USDT);
    const blockHash = '0000000003fe1ca05cf728c92ee79f5f2758c3e4e4ea88501826726880e8b81c';
    expect(transfers).toEqual([
      {
        network: 'TRX',
        token: null,
        txHash: '77ddfa7093cc5f745c0d3a54abb89ef070f983343c05e0f89e5a52f3e5401299',
        position: -1,
        blockNumber: 66_984_096n,
        blockHash,
        from: 'TJmmqjb1DK9TTZbQXzRQ2AuA94z4gKAPFh',
        to: 'TXHejmNKzgHFmjtt4qx9TWTv3majM9TP6B',
        amount: 1000n,
      },
      {
        network: 'TRX',
        token: 'USDT',
        txHash: '01b4cde4197b9d1a1ff09ef5d2b1d939d3ec2401b3f002ebd0802c0f30a6e4ca',
        position: 0,
        blockNumber: 66_984_096n,
        blockHash,
        from: 'TJmmqjb1DK9TTZbQXzRQ2AuA94z4gKAPFh',
        to: 'TXHejmNKzgHFmjtt4qx9TWTv3majM9TP6B',
        amount: 5_000_000n,
      },
    ]);
    // The OUT_OF_ENERGY transfer (100 USDT) and the look-alike token's 10,000 are not there.
    expect(transfers.some((t) => t.amount === 100_000_000n || t.amount === 10_000_000_000n)).toBe(false);
    // With the look-alike configured instead, only its log is found: the contract decides, not the log shape.
    const other = blockTransfers('TRX', block, infos, base58FromHex('41eca9bc828a3005b9a3b909f2cc5c2a54794de05f'));
    expect(other.filter((t) => t.token === 'USDT').map((t) => t.amount)).toEqual([10_000_000_000n]);
  });

  it('refuses receipts that do not belong to the block (it changed between the two calls)', () => {
    const block = parseBlock(fixture('getblockbynum-mixed.json'));
    if (block === null) throw new Error('expected a block');
    const infos = transactionInfoListSchema.parse(fixture('gettransactioninfobyblocknum-mixed.json'));
    expect(() => blockTransfers('TRX', block, infos.slice(1), USDT)).toThrow(/do not match/);
    expect(() =>
      blockTransfers(
        'TRX',
        block,
        infos.map((i) => ({ ...i, blockNumber: 66_984_097n })),
        USDT,
      ),
    ).toThrow(/do not match/);
    expect(() => blockTransfers('TRX', block, [...infos.slice(1), { ...infos[1], id: 'aa'.repeat(32) }].slice(0, 4) as typeof infos, USDT)).toThrow(
      /do not match/,
    );
  });

  it('drops a failed TRX transfer and zero amounts', () => {
    const block = parseBlock(fixture('getblockbynum-mixed.json'));
    if (block === null) throw new Error('expected a block');
    const [first] = block.transactions ?? [];
    if (first === undefined) throw new Error('fixture has transactions');
    const failed = { ...block, transactions: [{ ...first, ret: [{ contractRet: 'REVERT' }] }] };
    const infos = transactionInfoListSchema.parse(fixture('gettransactioninfobyblocknum-mixed.json')).slice(0, 1);
    expect(blockTransfers('TRX', failed, infos, USDT)).toEqual([]);
    const zero = {
      ...block,
      transactions: [
        {
          ...first,
          raw_data: {
            ...first.raw_data,
            contract: first.raw_data.contract.map((c) => ({ ...c, parameter: { ...c.parameter, value: { ...c.parameter.value, amount: 0 } } })),
          },
        },
      ],
    };
    expect(blockTransfers('TRX', zero, infos, USDT)).toEqual([]);
  });

  it('reads chain parameters, accounts, energy estimates and broadcast refusals', () => {
    expect(feeParameters(fixture('getchainparameters.json'))).toEqual({
      transactionFee: 1000n,
      energyFee: 210n,
      createAccountFee: 100_000n,
      createNewAccountFee: 1_000_000n,
    });
    expect(() => feeParameters({ chainParameter: [{ key: 'getEnergyFee', value: 210 }] })).toThrow(/getTransactionFee/);
    // getaccount answers {} for an address never activated.
    expect(accountSchema.parse({})).toEqual({});
    expect(accountSchema.parse({ address: '41608f8da72479edc7dd921e4c30bb7e7cddbe722e', balance: '2500000', create_time: 1591089567635 }).balance).toBe(
      2_500_000n,
    );
    expect(estimateEnergySchema.parse(fixture('estimateenergy.json')).energy_required).toBe(64_285n);
    const refusal = broadcastSchema.parse(fixture('broadcasttransaction-sigerror.json'));
    expect(refusal.code).toBe('SIGERROR');
    expect(nodeMessage(refusal.message)).toBe('Validate signature error: miss sig or contract');
    expect(nodeMessage('plain text')).toBe('plain text');
  });

  it('converts addresses between 41-hex, EVM log hex and base58check', () => {
    expect(base58FromHex('41a614f803b6fd780986a42c78ec9c7f77e6ded13c')).toBe(USDT);
    expect(base58FromHex('a614f803b6fd780986a42c78ec9c7f77e6ded13c')).toBe(USDT);
    expect(hexFromAddress(USDT)).toBe('41a614f803b6fd780986a42c78ec9c7f77e6ded13c');
    expect(hexFromAddress('41A614F803B6FD780986A42C78EC9C7F77E6DED13C')).toBe('41a614f803b6fd780986a42c78ec9c7f77e6ded13c');
    expect(() => hexFromAddress('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u')).toThrow();
    expect(() => hexFromAddress('0xa614f803b6fd780986a42c78ec9c7f77e6ded13c')).toThrow();
    expect(() => base58FromHex('42a614f803b6fd780986a42c78ec9c7f77e6ded13c')).toThrow(/not a Tron hex address/);
    const memo = memoizedBase58(2);
    for (const hex of [
      'a614f803b6fd780986a42c78ec9c7f77e6ded13c',
      '41a614f803b6fd780986a42c78ec9c7f77e6ded13c',
      '41608f8da72479edc7dd921e4c30bb7e7cddbe722e',
      'e9d79cc47518930bc322d9bf7cddd260a0260a8d',
    ]) {
      expect(memo(hex)).toBe(base58FromHex(hex));
      expect(memo(hex)).toBe(base58FromHex(hex));
    }
  });
});
