import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { freePort } from './process.js';

const require = createRequire(import.meta.url);

/** The Anvil binary that the `@foundry-rs/anvil` npm package ships for this platform (no download). */
export function anvilBinary(): string {
  const platform = `${process.platform === 'win32' ? 'win32' : process.platform}-${process.arch === 'x64' ? 'amd64' : process.arch}`;
  const pkg = require.resolve(`@foundry-rs/anvil-${platform}/package.json`);
  const binary = join(dirname(pkg), 'bin', process.platform === 'win32' ? 'anvil.exe' : 'anvil');
  if (!existsSync(binary)) throw new Error(`Anvil binary missing at ${binary}: run npm ci (it ships inside @foundry-rs/anvil-${platform}).`);
  return binary;
}

export interface AnvilOptions {
  /** 1 = mainnet (live BPs), 11155111 = Sepolia (sandbox BPs). Default 1. */
  readonly chainId?: number;
  /**
   * `auto` (default): every transaction is mined into its own block at once.
   * `manual`: nothing is mined until the test calls {@link Anvil.mine} — tests decide block contents.
   */
  readonly mining?: 'auto' | 'manual';
  /** Funded dev accounts derive from this mnemonic (Anvil's default when unset). */
  readonly mnemonic?: string;
  /** Base fee of the first block, in wei (Anvil's default 1 gwei when unset). */
  readonly baseFeeWei?: bigint;
  /** Gas limit per block (mainnet-like 30 M by default; raise for dense benchmark blocks). */
  readonly gasLimit?: bigint;
  /** Reuse a port (restarting a stopped node at the same URL). */
  readonly port?: number;
  /** Write the chain state on stop / load it on start, so a restarted node keeps its blocks. */
  readonly stateFile?: string;
}

interface RpcResponse {
  result?: unknown;
  error?: { code: number; message: string };
}

/**
 * A real Ethereum JSON-RPC node (Anvil) on a loopback port, started as a child process and
 * stopped by PID. Test controls use Anvil's own RPC methods (anvil_mine, anvil_reorg, …).
 */
export class Anvil {
  private constructor(
    readonly port: number,
    readonly chainId: number,
    private child: ChildProcess,
    private readonly args: readonly string[],
    private output: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  static async start(options: AnvilOptions = {}): Promise<Anvil> {
    const port = options.port ?? (await freePort());
    const chainId = options.chainId ?? 1;
    const args = ['--host', '127.0.0.1', '--port', String(port), '--chain-id', String(chainId), '--silent'];
    if (options.mining === 'manual') args.push('--no-mining');
    if (options.mnemonic !== undefined) args.push('--mnemonic', options.mnemonic);
    if (options.baseFeeWei !== undefined) args.push('--block-base-fee-per-gas', options.baseFeeWei.toString());
    args.push('--gas-limit', (options.gasLimit ?? 30_000_000n).toString());
    if (options.stateFile !== undefined) args.push('--state', options.stateFile);
    const anvil = new Anvil(port, chainId, Anvil.#spawn(args), args, '');
    await anvil.#ready();
    return anvil;
  }

  static #spawn(args: readonly string[]): ChildProcess {
    return spawn(anvilBinary(), [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  }

  async #ready(timeoutMs = 20_000): Promise<void> {
    this.child.stdout?.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
    });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`anvil exited with ${this.child.exitCode}: ${this.output}`);
      try {
        await this.rpc('eth_chainId');
        return;
      } catch (_error: unknown) {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    throw new Error(`anvil did not answer on ${this.url} within ${timeoutMs} ms: ${this.output}`);
  }

  /** One raw JSON-RPC call; throws the node's error message. */
  async rpc<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    });
    const body = (await response.json()) as RpcResponse;
    if (body.error !== undefined) throw new Error(`${method}: ${body.error.message}`);
    return body.result as T;
  }

  /** Mine `blocks` blocks now (with whatever is in the mempool going into the first). */
  async mine(blocks = 1): Promise<void> {
    await this.rpc('anvil_mine', [`0x${blocks.toString(16)}`]);
  }

  async blockNumber(): Promise<bigint> {
    return BigInt(await this.rpc<string>('eth_blockNumber'));
  }

  async setBalance(address: string, wei: bigint): Promise<void> {
    await this.rpc('anvil_setBalance', [address, `0x${wei.toString(16)}`]);
  }

  async setNextBaseFee(wei: bigint): Promise<void> {
    await this.rpc('anvil_setNextBlockBaseFeePerGas', [`0x${wei.toString(16)}`]);
  }

  /** Switch automine on or off at run time. */
  async setAutomine(on: boolean): Promise<void> {
    await this.rpc('evm_setAutomine', [on]);
  }

  /** Transactions waiting in the mempool (hashes). */
  async pendingHashes(): Promise<string[]> {
    const content = await this.rpc<{ pending: Record<string, Record<string, { hash: string }>> }>('txpool_content');
    return Object.values(content.pending).flatMap((byNonce) => Object.values(byNonce).map((tx) => tx.hash));
  }

  /** Drop a transaction from the mempool (as if it never reached this node). */
  async dropTransaction(hash: string): Promise<void> {
    await this.rpc('anvil_dropTransaction', [hash]);
  }

  /**
   * Replace the last `depth` blocks with `depth` new ones (a reorg). The replaced blocks'
   * transactions go back to the mempool unless re-included; `txs` are raw signed transactions
   * to put into the new blocks as `[rawTx, blockOffset]`.
   */
  async reorg(depth: number, txs: [string, number][] = []): Promise<void> {
    await this.rpc('anvil_reorg', [depth, txs]);
  }

  /** Remove the last `depth` blocks; their transactions return to the mempool. */
  async rollback(depth: number): Promise<void> {
    await this.rpc('anvil_rollback', [depth]);
  }

  async snapshot(): Promise<string> {
    return this.rpc<string>('evm_snapshot');
  }

  async revert(id: string): Promise<void> {
    await this.rpc('evm_revert', [id]);
  }

  /** Stop the node (SIGTERM, then SIGKILL). With a state file, its chain is written first. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  /** Start the node again on the same port with the same arguments (an outage ends). */
  async restart(): Promise<void> {
    await this.stop();
    this.child = Anvil.#spawn(this.args);
    this.output = '';
    await this.#ready();
  }
}
