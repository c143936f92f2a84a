import { createPublicClient, http, type PublicClient } from 'viem';

export interface EthereumClientOptions {
  readonly url: string;
  /** Per HTTP request (a batch counts as one). */
  readonly timeoutMs: number;
  /** Calls made in the same tick travel in one JSON-RPC batch of at most this many. */
  readonly batchSize?: number;
}

/**
 * A viem public client for one node. Batch JSON-RPC is on, so the reader's per-block calls go
 * out together; viem retries a failed request a couple of times with backoff, and the scanner
 * retries whole steps on top of that (it never skips a block).
 */
export function createEthereumClient(options: EthereumClientOptions): PublicClient {
  return createPublicClient({
    transport: http(options.url, {
      // Few calls per HTTP batch: a full block or its receipts can be megabytes, and one answer
      // over the size limit would fail the same step forever. Batches go out concurrently.
      batch: { batchSize: options.batchSize ?? 8 },
      maxResponseBodySize: 128 * 1024 * 1024,
      timeout: options.timeoutMs,
      retryCount: 2,
      retryDelay: 200,
    }),
  });
}
