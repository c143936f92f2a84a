import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Block, type ChainOptions, TronChain } from './chain.js';
import { type SignedTransaction, selectorOf, toBase58, toHex41, utf8Hex, word } from './encoding.js';
import { renderBlock, renderTransaction } from './render.js';

export interface TronNodeOptions extends ChainOptions {
  /** When set, every request must carry this value in the `TRON-PRO-API-KEY` header (TronGrid-style) or gets 401. */
  readonly apiKey?: string;
}

type Body = Record<string, unknown>;

interface Fault {
  readonly path: RegExp;
  remaining: number;
  readonly kind: 'status' | 'hang';
  readonly status: number;
}

/**
 * A fake java-tron full node (with its solidity API) serving the HTTP endpoints Paygate uses on
 * a loopback port, driven by the real `tronweb` client in tests. Faithful rather than canned:
 * every broadcast is verified (signer recovery over the txID, duplicate, TAPOS, expiration,
 * balance, bandwidth) and executed (fees burned, TRC-20 balances moved, OUT_OF_ENERGY included
 * without moving tokens). Test controls: {@link produce}, {@link fork}, {@link setSolidLag},
 * {@link hideTop} (height going backwards), {@link fail} (5xx) and {@link hang} (timeouts).
 */
export class TronNode {
  readonly chain: TronChain;
  #server: Server;
  #faults: Fault[] = [];
  #hidden = 0;
  #hanging = new Set<ServerResponse>();
  #tokens = 0;
  /** Paths of every request served, in order (tests assert what the client asked). */
  readonly requests: string[] = [];

  private constructor(
    readonly options: TronNodeOptions,
    readonly port: number,
    server: Server,
    chain: TronChain,
  ) {
    this.#server = server;
    this.chain = chain;
  }

  static async start(options: TronNodeOptions = {}): Promise<TronNode> {
    const chain = new TronChain(options);
    let node: TronNode | undefined;
    const server = createServer((req, res) => {
      if (node === undefined) {
        res.writeHead(503).end();
        return;
      }
      node.#handle(req, res).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ Error: String(error) }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    node = new TronNode(options, (server.address() as AddressInfo).port, server, chain);
    return node;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    for (const res of this.#hanging) res.destroy();
    this.#hanging.clear();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  // ── test controls ─────────────────────────────────────────────────────────

  /**
   * Produce `count` blocks now (pooled transactions go into the first), `gapMs` apart (3 s).
   * `withhold` leaves the pool out of these blocks (a full block, a transaction that has not
   * reached the producer), so a test can let a pooled transaction expire.
   */
  produce(count = 1, options: { readonly gapMs?: number; readonly withhold?: boolean } = {}): number {
    for (let i = 0; i < count; i++) this.chain.produce(options.gapMs, '', options.withhold === true);
    return this.chain.head.number;
  }

  /** The node forgets its pending transactions (restarted without them). */
  forgetPending(): void {
    this.chain.clearPool();
  }

  /** Replace the last `depth` unsolidified blocks with a longer fork (their transactions dropped unless `reinclude`). */
  fork(depth: number, options: { readonly reinclude?: boolean } = {}): void {
    this.chain.fork(depth, options);
  }

  setSolidLag(blocks: number): void {
    this.chain.solidLag = blocks;
  }

  /** Serve a view `blocks` behind the real head (a lagging node behind a load balancer): heights go backwards. */
  hideTop(blocks: number): void {
    this.#hidden = blocks;
  }

  /** The next `count` requests whose path matches answer `status` (default 503). */
  fail(count: number, status = 503, path: RegExp = /./): void {
    this.#faults.push({ path, remaining: count, kind: 'status', status });
  }

  /** The next `count` matching requests never get an answer (the client must time out). */
  hang(count: number, path: RegExp = /./): void {
    this.#faults.push({ path, remaining: count, kind: 'hang', status: 0 });
  }

  setBalance(address: string, sun: bigint): void {
    const hex = toHex41(address);
    const time = this.chain.head.timestamp;
    this.chain.mutate((state) => {
      const account = state.account(hex);
      if (account === undefined) state.credit(hex, sun, time);
      else account.balance = sun;
    });
  }

  balance(address: string): bigint {
    return this.chain.headState().account(toHex41(address))?.balance ?? 0n;
  }

  /** Deploy a TRC-20 token (Tether-like: 6 decimals, transfer returns true). Returns its base58 address. */
  deployToken(symbol = 'USDT'): string {
    this.#tokens++;
    const hex = `41${'ee'.repeat(18)}${this.#tokens.toString(16).padStart(4, '0')}`;
    this.chain.mutate((state) => {
      state.tokens.set(hex, { symbol, balances: new Map() });
    });
    return toBase58(hex);
  }

  mint(token: string, to: string, amount: bigint): void {
    const tokenHex = toHex41(token);
    const holder = toHex41(to);
    this.chain.mutate((state) => {
      const t = state.tokens.get(tokenHex);
      if (t === undefined) throw new Error(`no token ${token}`);
      t.balances.set(holder, (t.balances.get(holder) ?? 0n) + amount);
    });
  }

  tokenBalance(token: string, holder: string): bigint {
    return this.chain.headState().tokenBalance(toHex41(token), toHex41(holder));
  }

  // ── HTTP ──────────────────────────────────────────────────────────────────

  get #visibleHead(): number {
    return Math.max(0, this.chain.head.number - this.#hidden);
  }

  get #visibleSolid(): number {
    return Math.min(this.chain.solidHeight, this.#visibleHead);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://node');
    const path = url.pathname.replace(/^\/+/, '');
    this.requests.push(path);
    if (this.options.apiKey !== undefined && req.headers['tron-pro-api-key'] !== this.options.apiKey) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ Error: 'ApiKey not exists' }));
      return;
    }
    const fault = this.#faults.find((f) => f.remaining > 0 && f.path.test(path));
    if (fault !== undefined) {
      fault.remaining--;
      if (fault.kind === 'hang') {
        this.#hanging.add(res);
        return;
      }
      res.writeHead(fault.status, { 'content-type': 'text/html' }).end('<html><body>Service Unavailable</body></html>');
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: Body = Object.fromEntries(url.searchParams.entries());
    if (text.length > 0) {
      try {
        body = { ...body, ...(JSON.parse(text) as Body) };
      } catch (_error: unknown) {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ Error: 'class com.google.protobuf.InvalidProtocolBufferException : invalid JSON' }));
        return;
      }
    }
    const answer = this.#route(path, body);
    if (answer === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`no endpoint ${path}`);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  }

  #blockAt(num: number, solidity: boolean): Block | undefined {
    const limit = solidity ? this.#visibleSolid : this.#visibleHead;
    return Number.isInteger(num) && num >= 0 && num <= limit ? this.chain.blocks[num] : undefined;
  }

  #route(path: string, body: Body): unknown {
    const solidity = path.startsWith('walletsolidity/');
    const method = path.replace(/^wallet(solidity)?\//, '').toLowerCase();
    if (!path.startsWith('wallet/') && !solidity) return undefined;
    const visible = body.visible === true || body.visible === 'true';
    const head = solidity ? this.#visibleSolid : this.#visibleHead;
    switch (method) {
      case 'getnowblock':
        return this.#renderNum(head, true, visible, solidity);
      case 'getblock': {
        const idOrNum = body.id_or_num;
        const detail = body.detail === true || body.detail === 'true';
        if (idOrNum === undefined) return this.#renderNum(head, detail, visible, solidity);
        const text = String(idOrNum);
        return /^\d+$/.test(text) ? this.#renderNum(Number(text), detail, visible, solidity) : this.#renderId(text, detail, visible, solidity);
      }
      case 'getblockbynum':
        return this.#renderNum(Number(body.num), true, visible, solidity);
      case 'getblockbyid':
        return this.#renderId(String(body.value ?? ''), true, visible, solidity);
      case 'gettransactioninfobyblocknum': {
        const num = Number(body.num);
        if (!(num > 0)) return {};
        const block = this.#blockAt(num, solidity);
        return block === undefined ? [] : block.transactions.map((t) => t.info);
      }
      case 'gettransactioninfobyid': {
        const found = this.chain.find(String(body.value ?? '').toLowerCase());
        if (found === null || found.block.number > head) return {};
        return found.included.info;
      }
      case 'gettransactionbyid': {
        const found = this.chain.find(String(body.value ?? '').toLowerCase());
        if (found === null || found.block.number > head) return {};
        return renderTransaction(found.included, visible);
      }
      case 'gettransactionfrompending': {
        if (solidity) return undefined;
        const tx = this.chain.pool.find((p) => p.txID === String(body.value ?? '').toLowerCase());
        return tx === undefined ? {} : { txID: tx.txID, raw_data: tx.raw_data, raw_data_hex: tx.raw_data_hex, signature: tx.signature };
      }
      case 'getaccount':
        return this.#account(String(body.address ?? ''), visible, solidity);
      case 'getaccountresource':
        return solidity ? undefined : this.#resources(String(body.address ?? ''));
      case 'getchainparameters':
        return solidity ? undefined : this.#chainParameters();
      case 'triggerconstantcontract':
      case 'estimateenergy':
        return this.#constant(body, method === 'estimateenergy');
      case 'broadcasttransaction': {
        if (solidity) return undefined;
        const outcome = this.chain.broadcast(body as unknown as SignedTransaction);
        if (outcome.ok) return { result: true, txid: outcome.txid };
        return { code: outcome.code, txid: outcome.txid, message: utf8Hex(outcome.message) };
      }
      default:
        return undefined;
    }
  }

  #renderNum(num: number, detail: boolean, visible: boolean, solidity: boolean): unknown {
    const block = this.#blockAt(num, solidity);
    return block === undefined ? {} : renderBlock(block, detail, visible);
  }

  #renderId(id: string, detail: boolean, visible: boolean, solidity: boolean): unknown {
    const num = Number.parseInt(id.slice(0, 16), 16);
    const block = this.#blockAt(num, solidity);
    return block === undefined || block.id !== id.toLowerCase() ? {} : renderBlock(block, detail, visible);
  }

  #state(solidity: boolean) {
    const block = this.chain.blocks[solidity ? this.#visibleSolid : this.#visibleHead];
    return block?.state ?? this.chain.headState();
  }

  #account(address: string, visible: boolean, solidity: boolean): unknown {
    let hex: string;
    try {
      hex = toHex41(address);
    } catch (_error: unknown) {
      return { Error: 'class java.lang.IllegalArgumentException : Invalid address' };
    }
    const account = this.#state(solidity).account(hex);
    if (account === undefined) return {};
    return {
      address: visible ? toBase58(hex) : hex,
      ...(account.balance > 0n ? { balance: Number(account.balance) } : {}),
      create_time: account.createTime,
      ...(account.freeNetUsed > 0 ? { free_net_usage: account.freeNetUsed, latest_consume_free_time: this.chain.head.timestamp } : {}),
      account_resource: {},
    };
  }

  #resources(address: string): unknown {
    let hex: string;
    try {
      hex = toHex41(address);
    } catch (_error: unknown) {
      return { Error: 'class java.lang.IllegalArgumentException : Invalid address' };
    }
    const state = this.chain.pendingState;
    if (state.account(hex) === undefined) return {};
    const used = state.freeNetUsed(hex, this.chain.head.timestamp);
    return {
      ...(used > 0 ? { freeNetUsed: used } : {}),
      freeNetLimit: this.chain.parameters.freeNetLimit,
      TotalNetLimit: 43_200_000_000,
      TotalNetWeight: 26_798_328_519,
      TotalEnergyLimit: 180_000_000_000,
      TotalEnergyWeight: 19_124_117_497,
    };
  }

  #chainParameters(): unknown {
    const p = this.chain.parameters;
    return {
      chainParameter: [
        { key: 'getMaintenanceTimeInterval', value: 21_600_000 },
        { key: 'getAccountUpgradeCost', value: 9_999_000_000 },
        { key: 'getCreateAccountFee', value: Number(p.createAccountFee) },
        { key: 'getTransactionFee', value: Number(p.transactionFee) },
        { key: 'getAssetIssueFee', value: 1_024_000_000 },
        { key: 'getWitnessPayPerBlock', value: 16_000_000 },
        { key: 'getCreateNewAccountFeeInSystemContract', value: Number(p.createNewAccountFee) },
        { key: 'getCreateNewAccountBandwidthRate', value: 1 },
        { key: 'getAllowCreationOfContracts', value: 1 },
        { key: 'getEnergyFee', value: Number(p.energyFee) },
        { key: 'getFreeNetLimit', value: p.freeNetLimit },
        { key: 'getMaxFeeLimit', value: Number(p.maxFeeLimit) },
        { key: 'getAllowTvmTransferTrc10', value: 1 },
      ],
    };
  }

  #constant(body: Body, estimate: boolean): unknown {
    let contract: string;
    let owner: string;
    try {
      contract = toHex41(String(body.contract_address ?? ''));
      owner = toHex41(String(body.owner_address ?? ''));
    } catch (_error: unknown) {
      return { result: { code: 'OTHER_ERROR', message: utf8Hex('Invalid address') } };
    }
    const selector = typeof body.function_selector === 'string' && body.function_selector.length > 0 ? selectorOf(body.function_selector) : '';
    const data = typeof body.data === 'string' && body.data.length > 0 ? body.data : `${selector}${typeof body.parameter === 'string' ? body.parameter : ''}`;
    const outcome = this.chain.pendingState.constantCall(contract, owner, data.toLowerCase());
    if (outcome === null) return { result: { code: 'CONTRACT_VALIDATE_ERROR', message: utf8Hex('Smart contract is not exist.') } };
    if (outcome.revert) {
      return {
        result: { code: 'CONTRACT_EXE_ERROR', message: utf8Hex('REVERT opcode executed') },
        ...(estimate ? {} : { energy_used: Number(outcome.energy) }),
      };
    }
    if (estimate) return { result: { result: true }, energy_required: Number(outcome.energy) };
    return { result: { result: true }, energy_used: Number(outcome.energy), constant_result: [outcome.output || word(0n)] };
  }
}
