import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { createBase58check } from '@scure/base';
import { z } from 'zod';
import type { ChainBlock, NetworkSymbol, TransferObservation } from '../adapter.js';

/**
 * java-tron HTTP JSON (visible=false) as Paygate reads it, validated with zod. The node prints
 * protobuf JSON: zero and empty fields are left out (block 0 has no `number`, an empty block no
 * `transactions`, a free transfer no `fee`), and int64 values may come as strings
 * (`int64_as_string`), so every integer is read as a bigint from either form.
 */

const int64 = z.union([z.number().int(), z.string().regex(/^-?\d+$/)]).transform((v) => BigInt(v));
const hex = z.string().regex(/^[0-9a-fA-F]*$/);

// Only the fields the scan reads are validated (blocks of hundreds of transactions are parsed
// at up to 100× real time); the contract's own fields are checked where they are used.
const plainObject = z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'must be an object');

const contractSchema = z.object({
  type: z.string(),
  parameter: z.object({ value: plainObject }),
});

const transactionSchema = z.object({
  txID: hex.length(64),
  ret: z.array(z.object({ contractRet: z.string().optional() })).optional(),
  raw_data: z.object({ contract: z.array(contractSchema) }),
});

export const blockSchema = z.object({
  blockID: hex.length(64),
  block_header: z.object({
    raw_data: z.object({
      number: int64.optional(),
      parentHash: hex.length(64),
      timestamp: int64.optional(),
    }),
  }),
  transactions: z.array(transactionSchema).optional(),
});

export type WireBlock = z.infer<typeof blockSchema>;
export type WireTransaction = z.infer<typeof transactionSchema>;

const logSchema = z.object({ address: hex, topics: z.array(hex).optional(), data: hex.optional() });

export const transactionInfoSchema = z.object({
  id: hex.length(64),
  fee: int64.optional(),
  blockNumber: int64.optional(),
  blockTimeStamp: int64.optional(),
  receipt: z
    .object({
      result: z.string().optional(),
      energy_fee: int64.optional(),
      energy_usage_total: int64.optional(),
      net_fee: int64.optional(),
      net_usage: int64.optional(),
    })
    .optional(),
  log: z.array(logSchema).optional(),
  result: z.string().optional(),
  resMessage: hex.optional(),
});

export type WireTransactionInfo = z.infer<typeof transactionInfoSchema>;

/** What the scan needs of a receipt: its id and block, its result and its logs. */
const scanInfoSchema = z.object({
  id: hex.length(64),
  blockNumber: int64.optional(),
  receipt: z.object({ result: z.string().optional() }).optional(),
  log: z.array(logSchema).optional(),
});

export type ScanTransactionInfo = z.infer<typeof scanInfoSchema>;

/** gettransactioninfobyblocknum: an array; java-tron answers `{}` for block 0 and `[]` for an empty block. */
export const transactionInfoListSchema = z.union([
  z.array(scanInfoSchema),
  z
    .object({})
    .strict()
    .transform(() => []),
]);

/** keccak256("Transfer(address,address,uint256)") */
export const TRANSFER_TOPIC = 'ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';

/** Parse a block answer; `{}` (above the head) is null. Throws a ZodError for anything malformed. */
export function parseBlock(json: unknown): WireBlock | null {
  if (typeof json === 'object' && json !== null && Object.keys(json).length === 0) return null;
  return blockSchema.parse(json);
}

export function toChainBlock(block: WireBlock): ChainBlock {
  const raw = block.block_header.raw_data;
  return {
    number: raw.number ?? 0n,
    hash: block.blockID.toLowerCase(),
    parentHash: raw.parentHash.toLowerCase(),
    timestamp: new Date(Number(raw.timestamp ?? 0n)),
  };
}

const base58check = createBase58check(sha256);
const HEX41 = /^41[0-9a-fA-F]{40}$/;

/** 41-prefixed hex (or the 20-byte EVM form of a log address) → base58check `T…`. */
export function base58FromHex(address: string): string {
  const hex41 = address.length === 40 ? `41${address}` : address;
  if (!HEX41.test(hex41)) throw new TypeError(`not a Tron hex address: ${address}`);
  return base58check.encode(hexToBytes(hex41));
}

/** base58check `T…` or 41-hex → 41-prefixed lowercase hex. Throws on anything else (checksum included). */
export function hexFromAddress(address: string): string {
  if (HEX41.test(address)) return address.toLowerCase();
  const bytes = base58check.decode(address);
  if (bytes.length !== 21 || bytes[0] !== 0x41) throw new TypeError(`not a Tron address: ${address}`);
  return bytesToHex(bytes);
}

function stringField(value: Record<string, unknown>, key: string): string | undefined {
  const v = value[key];
  return typeof v === 'string' ? v : undefined;
}

function amountField(value: Record<string, unknown>, key: string): bigint {
  const v = value[key];
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^\d+$/.test(v)) return BigInt(v);
  return 0n;
}

/**
 * The candidate transfers of one block: successful `TransferContract`s (position −1) and
 * `Transfer` logs of the configured TRC-20 contract from receipts whose result is SUCCESS
 * (position = the log's index in its receipt). OUT_OF_ENERGY / REVERT receipts are included in
 * the block but moved nothing; logs of any other contract (look-alike tokens) are ignored.
 *
 * Throws when the receipts do not belong to this block (the block changed between the two
 * calls — a fork): the caller retries, it never scans half a block.
 */
export function blockTransfers(
  network: NetworkSymbol,
  block: WireBlock,
  infos: readonly ScanTransactionInfo[],
  tokenContract: string,
  toBase58: (hex: string) => string = base58FromHex,
): TransferObservation[] {
  const header = toChainBlock(block);
  const transactions = block.transactions ?? [];
  const ids = new Set(transactions.map((t) => t.txID.toLowerCase()));
  if (infos.length !== transactions.length || infos.some((i) => !ids.has(i.id.toLowerCase()) || (i.blockNumber ?? header.number) !== header.number)) {
    throw new Error(`receipts of block ${header.number} do not match its ${transactions.length} transactions (the block changed between calls)`);
  }
  const out: TransferObservation[] = [];
  for (const tx of transactions) {
    const contract = tx.raw_data.contract[0];
    if (contract === undefined || contract.type !== 'TransferContract' || tx.ret?.[0]?.contractRet !== 'SUCCESS') continue;
    const value = contract.parameter.value;
    const from = stringField(value, 'owner_address');
    const to = stringField(value, 'to_address');
    const amount = amountField(value, 'amount');
    if (from === undefined || to === undefined || amount <= 0n) continue;
    out.push({
      network,
      token: null,
      txHash: tx.txID.toLowerCase(),
      position: -1,
      blockNumber: header.number,
      blockHash: header.hash,
      from: base58FromHex(from),
      to: base58FromHex(to),
      amount,
    });
  }
  const token = hexFromAddress(tokenContract).slice(2);
  for (const info of infos) {
    if (info.receipt?.result !== 'SUCCESS') continue;
    (info.log ?? []).forEach((log, position) => {
      const topics = log.topics ?? [];
      if (log.address.toLowerCase().replace(/^41/, '') !== token || topics.length !== 3 || topics[0]?.toLowerCase() !== TRANSFER_TOPIC) return;
      if (topics.some((t) => t.length !== 64)) return;
      const data = log.data ?? '';
      if (data.length !== 64) return;
      const amount = BigInt(`0x${data}`);
      const [, fromTopic = '', toTopic = ''] = topics;
      if (amount <= 0n) return;
      out.push({
        network,
        token: 'USDT',
        txHash: info.id.toLowerCase(),
        position,
        blockNumber: header.number,
        blockHash: header.hash,
        from: toBase58(fromTopic.slice(24)),
        to: toBase58(toTopic.slice(24)),
        amount,
      });
    });
  }
  return out;
}

/**
 * A base58 encoder that remembers up to `limit` recent addresses: hot wallets, exchanges and
 * the token's big holders recur in almost every block, and base58 is the costliest step of a scan.
 */
export function memoizedBase58(limit = 50_000): (hex: string) => string {
  const cache = new Map<string, string>();
  return (hex) => {
    const key = hex.length === 40 ? hex.toLowerCase() : hex.slice(2).toLowerCase();
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const encoded = base58FromHex(`41${key}`);
    if (cache.size >= limit) cache.clear();
    cache.set(key, encoded);
    return encoded;
  };
}
