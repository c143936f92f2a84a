import type { HDKey } from '@scure/bip32';
import { encodeFunctionData, type Hex, type PublicClient } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import type { Failpoints } from '../lib/failpoints.js';
import { BALANCE_OF_ABI, TRANSFER_NO_RETURN_ABI } from '../modules/chains/ethereum/signer.js';
import { formatAmount } from '../modules/payments/amounts.js';
import { depositKey } from './account-key.js';

export interface SweepTarget {
  readonly address: string;
  readonly index: number;
}

export interface SweepOptions {
  readonly network: string;
  readonly chainId: number;
  readonly client: PublicClient;
  readonly usdt: `0x${string}` | null;
  readonly to: `0x${string}`;
  readonly maxFeePerGasWei: bigint;
  readonly tokenGasLimit: bigint;
  readonly dryRun: boolean;
  /** Sends ETH for gas from the hot wallet (null: USDT on addresses without gas is left, and reported). */
  readonly topUp: ((to: `0x${string}`, amount: bigint) => Promise<Hex>) | null;
  readonly out: (line: string) => void;
  readonly failpoints: Failpoints;
  /** Longest wait for one transaction's receipt. */
  readonly receiptTimeoutMs?: number;
}

export interface SweepSummary {
  readonly addresses: number;
  readonly swept: number;
  readonly eth: bigint;
  readonly usdt: bigint;
  readonly skipped: readonly string[];
}

const NATIVE_GAS = 21_000n;

/**
 * Move everything from Paygate's deposit addresses to `to`: USDT first (topping up gas from the
 * hot wallet when an address has too little ETH), then ETH minus the gas of its own transfer.
 * Every send uses the address's next mined nonce and waits for its receipt, so a re-run after an
 * interruption can only repeat a send at the same nonce (at most one lands) and otherwise finds
 * the balances already moved.
 */
export async function sweep(account: HDKey, targets: readonly SweepTarget[], options: SweepOptions): Promise<SweepSummary> {
  const { client, out } = options;
  let swept = 0;
  let eth = 0n;
  let usdt = 0n;
  const skipped: string[] = [];
  const fees = async () => {
    const history = await client.getFeeHistory({ blockCount: 5, rewardPercentiles: [50], blockTag: 'latest' });
    const base = history.baseFeePerGas.at(-1) ?? 0n;
    const tip = 100_000_000n;
    const wanted = base * 2n + tip;
    const maxFeePerGas = wanted < options.maxFeePerGasWei ? wanted : options.maxFeePerGasWei;
    return { maxFeePerGas, maxPriorityFeePerGas: tip < maxFeePerGas ? tip : maxFeePerGas };
  };
  const waitMined = async (hash: Hex) => {
    const deadline = Date.now() + (options.receiptTimeoutMs ?? 300_000);
    while (Date.now() < deadline) {
      try {
        return await client.getTransactionReceipt({ hash });
      } catch (_error: unknown) {
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    throw new Error(`${hash} was not mined within the wait; re-run the sweep to continue`);
  };
  for (const [n, target] of targets.entries()) {
    const key = depositKey(account, target.index);
    const signer = privateKeyToAccount(key);
    if (signer.address.toLowerCase() !== target.address.toLowerCase()) {
      throw new Error(`Deposit address #${target.index} is ${target.address} but the key derives ${signer.address}; stopping.`);
    }
    const address = signer.address;
    const tokenBalance = async () =>
      options.usdt === null ? 0n : await client.readContract({ address: options.usdt, abi: BALANCE_OF_ABI, functionName: 'balanceOf', args: [address] });
    const label = `[${n + 1}/${targets.length}] ${address}`;
    // A send of an earlier, interrupted run may still be pending: let it land before reading balances.
    const deadline = Date.now() + (options.receiptTimeoutMs ?? 300_000);
    while (
      !options.dryRun &&
      (await client.getTransactionCount({ address, blockTag: 'pending' })) > (await client.getTransactionCount({ address, blockTag: 'latest' })) &&
      Date.now() < deadline
    ) {
      await new Promise((r) => setTimeout(r, 250));
    }
    let native = await client.getBalance({ address });
    const token = await tokenBalance();
    if (native === 0n && token === 0n) continue;
    out(`${label}: ${formatAmount(native, 18)} ETH, ${formatAmount(token, 6)} USDT`);
    let movedHere = false;
    if (token > 0n && options.usdt !== null) {
      const data = encodeFunctionData({ abi: TRANSFER_NO_RETURN_ABI, functionName: 'transfer', args: [options.to, token] });
      const estimate = await client.estimateGas({ account: address, to: options.usdt, data });
      const gas = (estimate * 6n) / 5n < options.tokenGasLimit ? (estimate * 6n) / 5n : options.tokenGasLimit;
      const fee = await fees();
      const needed = gas * fee.maxFeePerGas;
      if (native < needed) {
        if (options.dryRun) out(`${label}: would top up ${formatAmount(needed - native, 18)} ETH for gas from the hot wallet`);
        else if (options.topUp === null) {
          skipped.push(`${address}: ${formatAmount(token, 6)} USDT left (needs ${formatAmount(needed - native, 18)} ETH for gas; no hot wallet configured)`);
          out(`${label}: USDT skipped, no gas and no hot wallet to top up from`);
        } else {
          const hash = await options.topUp(address, needed - native);
          out(`${label}: topped up ${formatAmount(needed - native, 18)} ETH for gas (${hash})`);
          await waitMined(hash);
          native = await client.getBalance({ address });
        }
      }
      if (options.dryRun) out(`${label}: would move ${formatAmount(token, 6)} USDT`);
      else if (native >= needed) {
        const nonce = await client.getTransactionCount({ address, blockTag: 'latest' });
        const raw = await signer.signTransaction({ chainId: options.chainId, type: 'eip1559', nonce, to: options.usdt, value: 0n, data, gas, ...fee });
        const hash = await client.sendRawTransaction({ serializedTransaction: raw });
        options.failpoints.hit('sweep.after-send');
        const receipt = await waitMined(hash);
        if (receipt.status !== 'success') skipped.push(`${address}: USDT transfer ${hash} reverted`);
        else {
          usdt += token;
          movedHere = true;
          out(`${label}: moved ${formatAmount(token, 6)} USDT (${hash})`);
        }
        native = await client.getBalance({ address });
      }
    }
    const fee = await fees();
    const cost = NATIVE_GAS * fee.maxFeePerGas;
    if (native > cost) {
      const value = native - cost;
      if (options.dryRun) out(`${label}: would move ${formatAmount(value, 18)} ETH`);
      else {
        const nonce = await client.getTransactionCount({ address, blockTag: 'latest' });
        const raw = await signer.signTransaction({ chainId: options.chainId, type: 'eip1559', nonce, to: options.to, value, gas: NATIVE_GAS, ...fee });
        const hash = await client.sendRawTransaction({ serializedTransaction: raw });
        options.failpoints.hit('sweep.after-send');
        await waitMined(hash);
        eth += value;
        movedHere = true;
        out(`${label}: moved ${formatAmount(value, 18)} ETH (${hash})`);
      }
    } else if (native > 0n && token === 0n) {
      out(`${label}: ${formatAmount(native, 18)} ETH is less than the gas to move it; left`);
    }
    if (movedHere) swept++;
  }
  return { addresses: targets.length, swept, eth, usdt, skipped };
}
