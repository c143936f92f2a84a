import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { TronWeb, utils } from 'tronweb';

/**
 * Encodings the fake java-tron node shares with the real one: `41`-prefixed hex account
 * addresses, txID = sha256 of the protobuf-encoded raw transaction (computed with tronweb's own
 * protobuf encoder, the same bytes a wallet signs), block ids whose first 8 bytes are the height,
 * and signature recovery over the txID.
 */

/** Any address form a request may carry (41-hex, 0x-hex, base58) as 41-prefixed lowercase hex. */
export function toHex41(address: string): string {
  if (/^41[0-9a-fA-F]{40}$/.test(address)) return address.toLowerCase();
  if (/^0x[0-9a-fA-F]{40}$/.test(address)) return `41${address.slice(2).toLowerCase()}`;
  if (TronWeb.isAddress(address)) return TronWeb.address.toHex(address).toLowerCase();
  throw new TypeError(`not a Tron address: ${address}`);
}

export function toBase58(hex41: string): string {
  return TronWeb.address.fromHex(hex41);
}

/** The transaction shapes the node accepts (visible=false JSON of protocol.Transaction). */
export interface RawData {
  readonly contract: readonly {
    readonly parameter: { readonly value: Record<string, unknown>; readonly type_url: string };
    readonly type: string;
    readonly Permission_id?: number;
  }[];
  readonly ref_block_bytes: string;
  readonly ref_block_hash: string;
  readonly expiration: number;
  readonly timestamp: number;
  readonly fee_limit?: number;
  readonly data?: string;
}

export interface SignedTransaction {
  readonly txID: string;
  readonly raw_data: RawData;
  readonly raw_data_hex: string;
  readonly signature: readonly string[];
  readonly visible?: boolean;
}

/** The protobuf bytes of `raw_data` (hex) and the txID they hash to, as java-tron computes them. */
export function encodeRawData(rawData: RawData): { rawDataHex: string; txID: string } {
  const pb = utils.transaction.txJsonToPb({ raw_data: rawData });
  const rawDataHex = utils.transaction.txPbToRawDataHex(pb).toLowerCase();
  return { rawDataHex, txID: bytesToHex(sha256(hexToBytes(rawDataHex))) };
}

/**
 * The address that made `signature` (65 bytes r‖s‖v, v = 27/28 or 0/1) over the 32-byte txID,
 * or null when the signature does not recover to a point.
 */
export function recoverSigner(txID: string, signature: string): string | null {
  try {
    const bytes = hexToBytes(signature);
    if (bytes.length !== 65) return null;
    const v = bytes[64] ?? 0;
    const recovery = v >= 27 ? v - 27 : v;
    if (recovery !== 0 && recovery !== 1) return null;
    const point = secp256k1.Signature.fromBytes(bytes.subarray(0, 64), 'compact').addRecoveryBit(recovery).recoverPublicKey(hexToBytes(txID));
    const uncompressed = point.toBytes(false);
    return `41${bytesToHex(keccak_256(uncompressed.subarray(1)).subarray(12))}`;
  } catch (_error: unknown) {
    return null;
  }
}

/** Block id: 8 bytes of height, then the last 24 bytes of sha256 over the header fields. */
export function blockId(number: number, parentId: string, timestamp: number, txTrieRoot: string, salt: string): string {
  const digest = bytesToHex(sha256(new TextEncoder().encode(`${number}|${parentId}|${timestamp}|${txTrieRoot}|${salt}`)));
  return number.toString(16).padStart(16, '0') + digest.slice(16);
}

/** Merkle-ish root of the block's txIDs (the double only needs it to differ between forks). */
export function txTrieRoot(txIds: readonly string[]): string {
  return bytesToHex(sha256(new TextEncoder().encode(txIds.join(''))));
}

export const TRANSFER_TOPIC = 'ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';
export const SELECTOR_TRANSFER = 'a9059cbb';
export const SELECTOR_BALANCE_OF = '70a08231';

export function word(value: bigint): string {
  return value.toString(16).padStart(64, '0');
}

/** The 4-byte selector of a Solidity signature such as `transfer(address,uint256)`. */
export function selectorOf(signature: string): string {
  return bytesToHex(keccak_256(new TextEncoder().encode(signature.replace(/\s+/g, '')))).slice(0, 8);
}

/** Decode an ABI `address` word (the low 20 bytes) to 41-hex. */
export function addressWord(hex64: string): string {
  return `41${hex64.slice(24).toLowerCase()}`;
}

export function utf8Hex(text: string): string {
  return bytesToHex(new TextEncoder().encode(text));
}

/** Serialized size java-tron charges bandwidth for: the Transaction protobuf plus 64 bytes of result space per contract. */
export function bandwidthBytes(rawDataHex: string, signatures: number): number {
  const raw = rawDataHex.length / 2;
  const varintLength = (n: number): number => (n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : 4);
  return 1 + varintLength(raw) + raw + signatures * (1 + 1 + 65) + 64;
}
