import { createServer, type Server } from 'node:http';
import { createCallbackHandler, type Paygate, PaygateApiError, type VerifiedCallback } from '@paygate/sdk';

/** The fields of a Paygate transaction callback this example uses. */
interface TransactionCallback {
  readonly id?: string;
  readonly type?: 'Deposit' | 'Withdrawal';
  readonly status?: 'Pending' | 'Confirmed' | 'Failed';
  readonly amount?: string;
  readonly coinSymbol?: string;
  readonly tokenSymbol?: string | null;
  readonly identifier?: string | null;
  readonly txHash?: string | null;
  readonly l2TxnHash?: string | null;
}

export interface Credit {
  readonly account: string;
  readonly asset: string;
  /** Decimal string, exactly as Paygate sent it. */
  readonly amount: string;
  readonly reference: string;
}

/**
 * A BP's own ledger, credited idempotently: a deposit is credited once per on-chain / Layer 2
 * reference, however many times (or through however many callbacks) it is reported.
 */
export class BpLedger {
  readonly credits: Credit[] = [];
  readonly #seenReferences = new Set<string>();
  readonly #seenWebhooks = new Set<string>();

  /** Returns false when this webhook or this deposit was already processed. */
  credit(webhookId: string | null, tx: TransactionCallback): boolean {
    if (webhookId !== null && this.#seenWebhooks.has(webhookId)) return false;
    if (webhookId !== null) this.#seenWebhooks.add(webhookId);
    const reference = tx.l2TxnHash ?? (tx.txHash ? `${tx.txHash}:${tx.identifier ?? ''}` : null) ?? tx.id ?? null;
    if (reference === null || this.#seenReferences.has(reference)) return false;
    this.#seenReferences.add(reference);
    this.credits.push({ account: tx.identifier ?? 'unknown', asset: tx.tokenSymbol ?? tx.coinSymbol ?? '?', amount: tx.amount ?? '0', reference });
    return true;
  }
}

export interface ReceiverOptions {
  /** Your API secret(s) from the dashboard's API Secret page. */
  readonly secret: string | readonly string[];
  /** When given, every deposit is confirmed with Paygate (verification round-trip) before crediting. */
  readonly paygate?: Paygate;
  readonly ledger?: BpLedger;
  readonly log?: (line: string) => void;
}

/**
 * A small BP backend: verifies each callback's signatures (refusing forged or replayed ones),
 * confirms deposits with Paygate, and credits its ledger exactly once per deposit.
 */
export function createReceiver(options: ReceiverOptions): { server: Server; ledger: BpLedger } {
  const ledger = options.ledger ?? new BpLedger();
  const log = options.log ?? (() => undefined);
  const handler = createCallbackHandler<TransactionCallback>({
    secret: options.secret,
    onCallback: async (callback: VerifiedCallback<TransactionCallback>) => {
      const tx = callback.payload;
      log(`${callback.kind ?? 'callback'} ${callback.webhookId ?? ''} ${tx.type ?? ''} ${tx.status ?? ''} ${tx.amount ?? ''}`);
      if (callback.kind !== 'deposit' || tx.type !== 'Deposit' || tx.status !== 'Confirmed') return;
      if (options.paygate !== undefined && callback.webhookId !== null) {
        try {
          await options.paygate.confirmCallback(callback.webhookId);
        } catch (error: unknown) {
          // Paygate does not know this callback: it is forged even if it carried a valid-looking signature.
          if (error instanceof PaygateApiError && (error.code === 'callback_unknown' || error.code === 'callback_mismatch')) {
            log(`refused ${callback.webhookId}: ${error.code}`);
            return;
          }
          throw error;
        }
      }
      if (ledger.credit(callback.webhookId, tx)) log(`credited ${tx.amount} ${tx.tokenSymbol ?? tx.coinSymbol} to ${tx.identifier}`);
    },
  });
  return { server: createServer(handler), ledger };
}
