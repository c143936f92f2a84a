import { z } from 'zod';

/** java-tron answers to the reads and writes of the payout side (protobuf JSON: zeros omitted, int64 as number or string). */

const int64 = z.union([z.number().int(), z.string().regex(/^-?\d+$/)]).transform((v) => BigInt(v));

/** getaccount: `{}` for an address that has never been activated. */
export const accountSchema = z.object({ address: z.string().optional(), balance: int64.optional(), create_time: int64.optional() });

export const chainParametersSchema = z.object({
  chainParameter: z.array(z.object({ key: z.string(), value: int64.optional() })),
});

/** The chain parameters the fee rules need (sun). */
export interface FeeParameters {
  /** sun per bandwidth byte burned */
  readonly transactionFee: bigint;
  /** sun per energy unit burned */
  readonly energyFee: bigint;
  /** bandwidth charge of a transaction that activates an account */
  readonly createAccountFee: bigint;
  /** the activation fee itself */
  readonly createNewAccountFee: bigint;
}

export function feeParameters(json: unknown): FeeParameters {
  const list = chainParametersSchema.parse(json).chainParameter;
  const get = (key: string): bigint => {
    const entry = list.find((p) => p.key === key);
    if (entry === undefined) throw new Error(`chain parameter ${key} missing from getchainparameters`);
    return entry.value ?? 0n;
  };
  return {
    transactionFee: get('getTransactionFee'),
    energyFee: get('getEnergyFee'),
    createAccountFee: get('getCreateAccountFee'),
    createNewAccountFee: get('getCreateNewAccountFeeInSystemContract'),
  };
}

const returnSchema = z.object({ result: z.boolean().optional(), code: z.string().optional(), message: z.string().optional() });

/** estimateenergy */
export const estimateEnergySchema = z.object({ result: returnSchema, energy_required: int64.optional() });

/** triggerconstantcontract */
export const constantCallSchema = z.object({
  result: returnSchema,
  energy_used: int64.optional(),
  constant_result: z.array(z.string()).optional(),
});

/** broadcasttransaction: `{result: true, txid}` or `{code, txid, message}` (message = hex of UTF-8 text). */
export const broadcastSchema = z.object({
  result: z.boolean().optional(),
  code: z.string().optional(),
  txid: z.string().optional(),
  message: z.string().optional(),
});

/** Decode java-tron's hex-encoded UTF-8 messages; text that is not hex is returned as is. */
export function nodeMessage(message: string | undefined): string {
  if (message === undefined) return '';
  if (!/^([0-9a-fA-F]{2})+$/.test(message)) return message;
  return Buffer.from(message, 'hex').toString('utf8');
}
