import { providers, TronWeb } from 'tronweb';

export interface TronClientOptions {
  /** java-tron HTTP API base URL (full node; its `/walletsolidity/*` endpoints are used for solidified reads, as on TronGrid). */
  readonly apiUrl: string;
  /** Sent in `apiKeyHeader` on every request (TronGrid: `TRON-PRO-API-KEY`). Never logged. */
  readonly apiKey?: string;
  readonly apiKeyHeader?: string;
  readonly timeoutMs?: number;
}

/**
 * A tronweb client for one node. The full node and the solidity API share the base URL (TronGrid
 * and a java-tron node with both HTTP services behind one proxy); tronweb picks `wallet/*` or
 * `walletsolidity/*` paths itself. No private key is ever set on it: signing passes the key per call.
 */
export function createTronWeb(options: TronClientOptions): TronWeb {
  const headers: Record<string, string> = options.apiKey === undefined ? {} : { [options.apiKeyHeader ?? 'TRON-PRO-API-KEY']: options.apiKey };
  const provider = () => new providers.HttpProvider(options.apiUrl, options.timeoutMs ?? 10_000, '', '', headers);
  return new TronWeb({ fullNode: provider(), solidityNode: provider(), eventServer: provider() });
}

/** A raw call through tronweb's own HTTP provider (for endpoints tronweb has no method for). */
export function request(tronWeb: TronWeb, path: string, payload: Record<string, unknown>, solidity = false): Promise<unknown> {
  const node = solidity ? tronWeb.solidityNode : tronWeb.fullNode;
  return node.request(path, payload, 'post') as Promise<unknown>;
}
