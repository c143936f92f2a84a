import { addressWord, bandwidthBytes, SELECTOR_BALANCE_OF, SELECTOR_TRANSFER, type SignedTransaction, TRANSFER_TOPIC, utf8Hex, word } from './encoding.js';

/** Chain parameters with mainnet-like values (getchainparameters keys in comments). */
export interface ChainParameters {
  /** getTransactionFee: sun burned per bandwidth byte when the free allowance is used up. */
  readonly transactionFee: bigint;
  /** getEnergyFee: sun burned per unit of energy. */
  readonly energyFee: bigint;
  /** getCreateAccountFee: bandwidth fee for a transaction that activates an account. */
  readonly createAccountFee: bigint;
  /** getCreateNewAccountFeeInSystemContract: the activation fee itself. */
  readonly createNewAccountFee: bigint;
  /** getFreeNetLimit: free bandwidth bytes per account per day. */
  readonly freeNetLimit: number;
  /** getMaxFeeLimit */
  readonly maxFeeLimit: bigint;
}

export const DEFAULT_PARAMETERS: ChainParameters = {
  transactionFee: 1000n,
  energyFee: 210n,
  createAccountFee: 100_000n,
  createNewAccountFee: 1_000_000n,
  freeNetLimit: 600,
  maxFeeLimit: 15_000_000_000n,
};

/** Energy a TRC-20 transfer burns: a fresh storage slot for a first-time holder costs about twice as much. */
export const ENERGY_TRANSFER_EXISTING_HOLDER = 29_631n;
export const ENERGY_TRANSFER_NEW_HOLDER = 64_285n;
export const ENERGY_REVERT = 8_000n;
export const ENERGY_BALANCE_OF = 935n;

const DAY_MS = 86_400_000;

interface Account {
  balance: bigint;
  readonly createTime: number;
  freeNetUsed: number;
  freeNetDay: number;
}

interface Token {
  readonly symbol: string;
  readonly balances: Map<string, bigint>;
}

/** A refusal at broadcast time (the node's `code` and its message). */
export class TxRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type ContractRet = 'SUCCESS' | 'OUT_OF_ENERGY' | 'REVERT';

/** TransactionInfo as gettransactioninfobyid prints it (protobuf JSON: zero/empty fields omitted). */
export interface TxInfo {
  id: string;
  fee?: number;
  blockNumber: number;
  blockTimeStamp: number;
  contractResult: string[];
  contract_address?: string;
  receipt: Record<string, number | string>;
  log?: { address: string; topics: string[]; data: string }[];
  result?: 'FAILED';
  resMessage?: string;
}

export interface Execution {
  readonly ret: ContractRet;
  readonly info: Omit<TxInfo, 'blockNumber' | 'blockTimeStamp'>;
}

function n(value: bigint): number {
  return Number(value);
}

/** Accounts and TRC-20 balances; cloned per block so a fork can restore the state below it. */
export class WorldState {
  constructor(
    readonly accounts = new Map<string, Account>(),
    readonly tokens = new Map<string, Token>(),
  ) {}

  clone(): WorldState {
    const accounts = new Map<string, Account>();
    for (const [k, a] of this.accounts) accounts.set(k, { ...a });
    const tokens = new Map<string, Token>();
    for (const [k, t] of this.tokens) tokens.set(k, { symbol: t.symbol, balances: new Map(t.balances) });
    return new WorldState(accounts, tokens);
  }

  account(address: string): Account | undefined {
    return this.accounts.get(address);
  }

  credit(address: string, sun: bigint, time: number): void {
    const account = this.accounts.get(address);
    if (account === undefined) this.accounts.set(address, { balance: sun, createTime: time, freeNetUsed: 0, freeNetDay: Math.floor(time / DAY_MS) });
    else account.balance += sun;
  }

  tokenBalance(token: string, holder: string): bigint {
    return this.tokens.get(token)?.balances.get(holder) ?? 0n;
  }

  freeNetUsed(address: string, time: number): number {
    const account = this.accounts.get(address);
    if (account === undefined) return 0;
    return account.freeNetDay === Math.floor(time / DAY_MS) ? account.freeNetUsed : 0;
  }

  /**
   * Apply one transaction at chain time `time` (the block's, or the head's for the pending
   * state). Throws {@link TxRefusal} when the node would refuse it at broadcast; otherwise the
   * transaction is included, successful or not (OUT_OF_ENERGY and REVERT still burn fees).
   */
  apply(tx: SignedTransaction, time: number, params: ChainParameters): Execution {
    const contract = tx.raw_data.contract[0];
    if (contract === undefined || tx.raw_data.contract.length !== 1)
      throw new TxRefusal('CONTRACT_VALIDATE_ERROR', 'a transaction carries exactly one contract');
    const value = contract.parameter.value;
    const owner = typeof value.owner_address === 'string' ? value.owner_address.toLowerCase() : '';
    const account = this.accounts.get(owner);
    if (account === undefined) throw new TxRefusal('CONTRACT_VALIDATE_ERROR', `Validate ${contract.type} error, no OwnerAccount.`);
    const bytes = bandwidthBytes(tx.raw_data_hex, tx.signature.length);
    switch (contract.type) {
      case 'TransferContract':
        return this.#transfer(tx, value, owner, account, bytes, time, params);
      case 'TriggerSmartContract':
        return this.#trigger(tx, value, owner, account, bytes, time, params);
      default:
        throw new TxRefusal('CONTRACT_VALIDATE_ERROR', `contract type ${contract.type} is not supported by this node`);
    }
  }

  /** Free bandwidth if the day's allowance covers `bytes`, else burn `bytes × transactionFee`. */
  #bandwidth(account: Account, bytes: number, time: number, params: ChainParameters): { netUsage: number; netFee: bigint } {
    const day = Math.floor(time / DAY_MS);
    const used = account.freeNetDay === day ? account.freeNetUsed : 0;
    if (used + bytes <= params.freeNetLimit) return { netUsage: bytes, netFee: 0n };
    return { netUsage: 0, netFee: BigInt(bytes) * params.transactionFee };
  }

  #consumeFree(account: Account, netUsage: number, time: number): void {
    const day = Math.floor(time / DAY_MS);
    if (account.freeNetDay !== day) {
      account.freeNetDay = day;
      account.freeNetUsed = 0;
    }
    account.freeNetUsed += netUsage;
  }

  #transfer(
    tx: SignedTransaction,
    value: Record<string, unknown>,
    owner: string,
    account: Account,
    bytes: number,
    time: number,
    params: ChainParameters,
  ): Execution {
    const to = typeof value.to_address === 'string' ? value.to_address.toLowerCase() : '';
    const amount = typeof value.amount === 'number' ? BigInt(value.amount) : 0n;
    if (!/^41[0-9a-f]{40}$/.test(to)) throw new TxRefusal('CONTRACT_VALIDATE_ERROR', 'Invalid toAddress!');
    if (amount <= 0n) throw new TxRefusal('CONTRACT_VALIDATE_ERROR', 'Amount must be greater than 0.');
    if (to === owner) throw new TxRefusal('CONTRACT_VALIDATE_ERROR', 'Cannot transfer TRX to yourself.');
    if (this.tokens.has(to)) throw new TxRefusal('CONTRACT_VALIDATE_ERROR', 'Cannot transfer TRX to a smartContract.');
    const creates = !this.accounts.has(to);
    // Activating an account replaces the bandwidth charge with the creation fees.
    const { netUsage, netFee } = creates ? { netUsage: 0, netFee: params.createAccountFee } : this.#bandwidth(account, bytes, time, params);
    const createFee = creates ? params.createNewAccountFee : 0n;
    if (account.balance < netFee) throw new TxRefusal('BANDWITH_ERROR', 'Account resource insufficient error.');
    if (account.balance < amount + netFee + createFee)
      throw new TxRefusal('CONTRACT_VALIDATE_ERROR', 'Validate TransferContract error, balance is not sufficient.');
    this.#consumeFree(account, netUsage, time);
    account.balance -= amount + netFee + createFee;
    this.credit(to, amount, time);
    const fee = netFee + createFee;
    const receipt: Record<string, number> = {};
    if (netUsage > 0) receipt.net_usage = netUsage;
    if (netFee > 0n) receipt.net_fee = n(netFee);
    return { ret: 'SUCCESS', info: { id: tx.txID, ...(fee > 0n ? { fee: n(fee) } : {}), contractResult: [''], receipt } };
  }

  #trigger(
    tx: SignedTransaction,
    value: Record<string, unknown>,
    owner: string,
    account: Account,
    bytes: number,
    time: number,
    params: ChainParameters,
  ): Execution {
    const contractAddress = typeof value.contract_address === 'string' ? value.contract_address.toLowerCase() : '';
    const token = this.tokens.get(contractAddress);
    if (token === undefined) throw new TxRefusal('CONTRACT_VALIDATE_ERROR', 'No contract or not a smart contract');
    const feeLimit = BigInt(tx.raw_data.fee_limit ?? 0);
    if (feeLimit < 0n || feeLimit > params.maxFeeLimit) throw new TxRefusal('CONTRACT_VALIDATE_ERROR', `feeLimit must be >= 0 and <= ${params.maxFeeLimit}`);
    const { netUsage, netFee } = this.#bandwidth(account, bytes, time, params);
    if (account.balance < netFee) throw new TxRefusal('BANDWITH_ERROR', 'Account resource insufficient error.');
    this.#consumeFree(account, netUsage, time);
    account.balance -= netFee;
    const data = typeof value.data === 'string' ? value.data.toLowerCase() : '';
    const outcome = this.#call(token, contractAddress, owner, data);
    // Energy is bought with TRX up to fee_limit (and what the account holds); running out stops execution.
    const energyLimit = (feeLimit < account.balance ? feeLimit : account.balance) / params.energyFee;
    const ret: ContractRet = outcome.energy > energyLimit ? 'OUT_OF_ENERGY' : outcome.revert ? 'REVERT' : 'SUCCESS';
    const energy = ret === 'OUT_OF_ENERGY' ? energyLimit : outcome.energy;
    const energyFee = energy * params.energyFee;
    account.balance -= energyFee;
    if (ret === 'SUCCESS') outcome.commit();
    const receipt: Record<string, number | string> = {};
    if (energyFee > 0n) receipt.energy_fee = n(energyFee);
    if (energy > 0n) receipt.energy_usage_total = n(energy);
    if (netUsage > 0) receipt.net_usage = netUsage;
    if (netFee > 0n) receipt.net_fee = n(netFee);
    receipt.result = ret;
    const fee = netFee + energyFee;
    return {
      ret,
      info: {
        id: tx.txID,
        ...(fee > 0n ? { fee: n(fee) } : {}),
        contractResult: [ret === 'SUCCESS' ? outcome.output : ''],
        contract_address: contractAddress,
        receipt,
        ...(ret === 'SUCCESS' && outcome.logs.length > 0 ? { log: outcome.logs } : {}),
        ...(ret === 'SUCCESS' ? {} : { result: 'FAILED' as const, resMessage: utf8Hex(ret === 'REVERT' ? 'REVERT opcode executed' : 'Not enough energy') }),
      },
    };
  }

  /** Run a TRC-20 call against `token` without committing (commit() applies it). */
  #call(
    token: Token,
    contractAddress: string,
    caller: string,
    data: string,
  ): { energy: bigint; revert: boolean; output: string; logs: { address: string; topics: string[]; data: string }[]; commit: () => void } {
    const none = () => {};
    const selector = data.slice(0, 8);
    if (selector === SELECTOR_BALANCE_OF && data.length >= 8 + 64) {
      const holder = addressWord(data.slice(8, 72));
      return { energy: ENERGY_BALANCE_OF, revert: false, output: word(token.balances.get(holder) ?? 0n), logs: [], commit: none };
    }
    if (selector === SELECTOR_TRANSFER && data.length >= 8 + 128) {
      const to = addressWord(data.slice(8, 72));
      const amount = BigInt(`0x${data.slice(72, 136)}`);
      const fromBalance = token.balances.get(caller) ?? 0n;
      if (fromBalance < amount) return { energy: ENERGY_REVERT, revert: true, output: '', logs: [], commit: none };
      const toBalance = token.balances.get(to) ?? 0n;
      const energy = toBalance > 0n || to === caller ? ENERGY_TRANSFER_EXISTING_HOLDER : ENERGY_TRANSFER_NEW_HOLDER;
      const logs = [
        {
          address: contractAddress.slice(2),
          topics: [TRANSFER_TOPIC, word(BigInt(`0x${caller.slice(2)}`)), word(BigInt(`0x${to.slice(2)}`))],
          data: word(amount),
        },
      ];
      return {
        energy,
        revert: false,
        output: word(1n),
        logs,
        commit: () => {
          token.balances.set(caller, (token.balances.get(caller) ?? 0n) - amount);
          token.balances.set(to, (token.balances.get(to) ?? 0n) + amount);
        },
      };
    }
    return { energy: ENERGY_REVERT, revert: true, output: '', logs: [], commit: none };
  }

  /** A read-only call (triggerconstantcontract / estimateenergy): energy and output, or revert. */
  constantCall(contractAddress: string, caller: string, data: string): { energy: bigint; revert: boolean; output: string } | null {
    const token = this.tokens.get(contractAddress);
    if (token === undefined) return null;
    const { energy, revert, output } = this.#call(token, contractAddress, caller, data);
    return { energy, revert, output };
  }
}
