import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly at: number;
  /** The peer address the request came from (to check callback source addresses). */
  readonly remoteAddress: string | undefined;
}

export interface Answer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  /** Answer only after this long (a slow or hanging endpoint). */
  readonly delayMs?: number;
  /** The response body; `{"ok":true}` by default. */
  readonly body?: string | Buffer;
}

/**
 * A real HTTP endpoint on loopback standing in for a BP's callback receiver. `respond` decides the
 * status (and headers, and delay) of each request; everything received is kept in order.
 */
export class CallbackReceiver {
  readonly received: Received[] = [];
  respond: (r: Received, index: number) => Answer = () => ({ status: 200 });
  /** Requests being answered right now, and the most there ever were at once. */
  active = 0;
  peakActive = 0;
  #server: Server | undefined;
  url = '';

  async start(host = '127.0.0.1', port = 0): Promise<string> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const entry = {
          path: req.url ?? '/',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
          remoteAddress: req.socket.remoteAddress,
        };
        this.received.push(entry);
        const answer = this.respond(entry, this.received.length - 1);
        this.active++;
        this.peakActive = Math.max(this.peakActive, this.active);
        let done = false;
        const settle = () => {
          if (done) return false;
          done = true;
          this.active--;
          return true;
        };
        const finish = () => {
          if (!settle()) return;
          res.writeHead(answer.status, answer.headers ?? {});
          res.end(answer.body ?? '{"ok":true}');
        };
        if (answer.delayMs === undefined) return finish();
        const timer = setTimeout(finish, answer.delayMs);
        // The caller gave up (its timeout): the request no longer counts as active.
        res.on('close', () => {
          clearTimeout(timer);
          settle();
        });
      });
    });
    this.#server = server;
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    this.url = `http://${host}:${(server.address() as AddressInfo).port}`;
    return this.url;
  }

  async waitFor(count: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} callbacks, got ${this.received.length}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()));
  }
}
