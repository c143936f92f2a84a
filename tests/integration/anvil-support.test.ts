import { createPublicClient, createWalletClient, http, parseAbiItem, parseEther } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Anvil } from '../support/anvil.js';
import { DEV_KEYS } from '../support/chain-accounts.js';
import { compileContract } from '../support/contracts.js';

// The chain tests stand on these parts; if one breaks, this file says which.
describe('test chain support: Anvil + a Tether-like token compiled by solc', () => {
  let anvil: Anvil;
  beforeAll(async () => {
    anvil = await Anvil.start({ chainId: 11155111 });
  });
  afterAll(async () => {
    await anvil.stop();
  });

  it('deploys TetherLike; transfer returns no value, emits Transfer, and reverts for a blocked sender', async () => {
    const owner = privateKeyToAccount(DEV_KEYS[0] as `0x${string}`);
    const other = privateKeyToAccount(DEV_KEYS[1] as `0x${string}`);
    const transport = http(anvil.url);
    const publicClient = createPublicClient({ transport });
    const wallet = createWalletClient({ account: owner, transport, chain: undefined });
    expect(await publicClient.getChainId()).toBe(11155111);
    const { abi, bytecode } = compileContract('TetherLike');
    const deployHash = await wallet.deployContract({ abi, bytecode, args: ['Tether USD', 'USDT'], chain: null });
    const receipt = await publicClient.waitForTransactionReceipt({ hash: deployHash });
    const token = receipt.contractAddress;
    if (token === null || token === undefined) throw new Error('no contract address');
    await wallet.writeContract({ address: token, abi, functionName: 'mint', args: [owner.address, 5_000_000n], chain: null });
    const hash = await wallet.writeContract({ address: token, abi, functionName: 'transfer', args: [other.address, 1_250_000n], chain: null });
    const transferReceipt = await publicClient.waitForTransactionReceipt({ hash });
    expect(transferReceipt.status).toBe('success');
    const transferFn = abi.find((item) => item.type === 'function' && item.name === 'transfer');
    expect(transferFn !== undefined && 'outputs' in transferFn ? transferFn.outputs : undefined).toEqual([]);
    const logs = await publicClient.getLogs({
      address: token,
      event: parseAbiItem('event Transfer(address indexed from, address indexed to, uint256 value)'),
      fromBlock: transferReceipt.blockNumber,
      toBlock: transferReceipt.blockNumber,
    });
    expect(logs.map((l) => [l.args.to, l.args.value])).toEqual([[other.address, 1_250_000n]]);
    expect(await publicClient.readContract({ address: token, abi, functionName: 'balanceOf', args: [other.address] })).toBe(1_250_000n);

    await wallet.writeContract({ address: token, abi, functionName: 'addBlackList', args: [owner.address], chain: null });
    const blocked = await wallet.sendTransaction({
      to: token,
      data: '0xa9059cbb000000000000000000000000000000000000000000000000000000000000dEaD0000000000000000000000000000000000000000000000000000000000000001',
      gas: 100_000n,
      chain: null,
    });
    expect((await publicClient.waitForTransactionReceipt({ hash: blocked })).status).toBe('reverted');
  });

  it('manual mining, reorgs and restarts behave as the chain tests expect', async () => {
    const node = await Anvil.start({ mining: 'manual' });
    try {
      const sender = privateKeyToAccount(DEV_KEYS[2] as `0x${string}`);
      const wallet = createWalletClient({ account: sender, transport: http(node.url), chain: undefined });
      const publicClient = createPublicClient({ transport: http(node.url) });
      const hash = await wallet.sendTransaction({ to: '0x000000000000000000000000000000000000dEaD', value: parseEther('1'), chain: null });
      expect(await node.blockNumber()).toBe(0n);
      expect(await node.pendingHashes()).toEqual([hash]);
      await node.mine(1);
      const minedIn = (await publicClient.getTransactionReceipt({ hash })).blockHash;
      await node.mine(2);
      await node.reorg(3);
      expect(await node.blockNumber()).toBe(3n);
      const block1 = await publicClient.getBlock({ blockNumber: 1n });
      expect(block1.hash).not.toBe(minedIn);
      await node.restart();
      expect(await node.blockNumber()).toBe(0n);
    } finally {
      await node.stop();
    }
  });
});
