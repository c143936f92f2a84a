import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

interface RpcRequest {
  id: unknown;
  method: string;
  params?: unknown[];
}

/** Methods whose answers depend only on their parameters for a chain that no longer changes. */
const CACHEABLE = new Set(['eth_getBlockByNumber', 'eth_getBlockReceipts', 'eth_getLogs', 'eth_getTransactionReceipt', 'eth_chainId']);

/**
 * A JSON-RPC proxy that remembers answers by (method, params). Warmed by one pass over a
 * finished chain, it then answers like a fast node — so a benchmark can measure Paygate's own
 * scanning rate apart from how fast Anvil serves big blocks. Batches are split and re-joined.
 */
export class RpcCache {
  readonly #cache = new Map<string, unknown>();
  #server: Server | undefined;
  url = '';
  hits = 0;
  misses = 0;

  constructor(private readonly upstream: string) {}

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString()) as RpcRequest | RpcRequest[];
        const list = Array.isArray(body) ? body : [body];
        this.#answer(list).then(
          (answers) => {
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end(JSON.stringify(Array.isArray(body) ? answers : answers[0]));
          },
          (error: unknown) => {
            res.writeHead(502);
            res.end(String(error));
          },
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.#server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.url;
  }

  async #answer(list: RpcRequest[]): Promise<unknown[]> {
    const key = (r: RpcRequest) => `${r.method}:${JSON.stringify(r.params ?? [])}`;
    const missing = list.filter((r) => !CACHEABLE.has(r.method) || !this.#cache.has(key(r)));
    this.hits += list.length - missing.length;
    this.misses += missing.length;
    if (missing.length > 0) {
      const response = await fetch(this.upstream, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(missing) });
      const answers = (await response.json()) as { id: unknown; result?: unknown; error?: unknown }[];
      missing.forEach((r, i) => {
        const a = answers.find((x) => x.id === r.id) ?? answers[i];
        if (a !== undefined && a.error === undefined && CACHEABLE.has(r.method)) this.#cache.set(key(r), a.result);
        this.#cache.set(`live:${String(r.id)}:${key(r)}`, a);
      });
    }
    return list.map((r) => {
      if (CACHEABLE.has(r.method) && this.#cache.has(key(r))) return { jsonrpc: '2.0', id: r.id, result: this.#cache.get(key(r)) };
      const live = this.#cache.get(`live:${String(r.id)}:${key(r)}`);
      this.#cache.delete(`live:${String(r.id)}:${key(r)}`);
      return live;
    });
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.#server === undefined ? resolve() : this.#server.close(() => resolve())));
  }
}
