import type { Block, IncludedTransaction } from './chain.js';
import { toBase58 } from './encoding.js';

/**
 * java-tron's HTTP JSON for blocks and transactions (visible=false: 41-hex addresses). Like the
 * real node it prints protobuf JSON, so zero and empty fields are left out — block 0 has no
 * `number`, an empty block no `transactions`.
 */
export function renderTransaction(t: IncludedTransaction, visible: boolean): Record<string, unknown> {
  return {
    ret: [{ contractRet: t.ret }],
    signature: t.tx.signature,
    txID: t.tx.txID,
    raw_data: visible ? visibleRawData(t.tx.raw_data) : t.tx.raw_data,
    raw_data_hex: t.tx.raw_data_hex,
    ...(visible ? { visible: true } : {}),
  };
}

function visibleRawData(raw: IncludedTransaction['tx']['raw_data']): unknown {
  return {
    ...raw,
    contract: raw.contract.map((c) => ({
      ...c,
      parameter: {
        ...c.parameter,
        value: Object.fromEntries(
          Object.entries(c.parameter.value).map(([k, v]) => [
            k,
            typeof v === 'string' && /^41[0-9a-f]{40}$/.test(v) && k.endsWith('address') ? toBase58(v) : v,
          ]),
        ),
      },
    })),
  };
}

export function renderBlock(block: Block, detail: boolean, visible = false): Record<string, unknown> {
  const raw: Record<string, unknown> = {
    ...(block.number > 0 ? { number: block.number } : {}),
    txTrieRoot: block.number > 0 ? txRootOf(block) : '0000000000000000000000000000000000000000000000000000000000000000',
    witness_address: block.number > 0 ? '41928c9af0651632157ef27a2cf17ca72c575a4d21' : '',
    parentHash: block.parentId,
    ...(block.number > 0 ? { version: 30 } : {}),
    ...(block.timestamp > 0 && block.number > 0 ? { timestamp: block.timestamp } : {}),
  };
  if (raw.witness_address === '') delete raw.witness_address;
  const out: Record<string, unknown> = {
    blockID: block.id,
    block_header: { raw_data: raw, ...(block.number > 0 ? { witness_signature: `${block.id}${block.id}00` } : {}) },
  };
  if (detail && block.transactions.length > 0) out.transactions = block.transactions.map((t) => renderTransaction(t, visible));
  return out;
}

function txRootOf(block: Block): string {
  return block.id.slice(16).padStart(64, '0');
}
