import type { Transaction } from '../transactions/transactions-api';

export interface CallbackOutcome {
  /** Callback kinds queued for the BP's callback URL, in the order they are sent. */
  readonly kinds: readonly string[];
  readonly note: string;
}

/** Which callbacks a simulated deposit produced, read from the transaction the server returned. */
export function depositCallbacks(tx: Transaction): CallbackOutcome {
  if (!tx.settled) {
    return {
      kinds: [],
      note: 'Worth less than 1 USDT: Layer 1 deposits this small are recorded (not settled) but not credited, and send no callbacks.',
    };
  }
  switch (tx.status) {
    case 'Confirmed':
      return { kinds: ['pendingDeposit', 'deposit'], note: 'Seen on chain, then confirmed: the amount minus the deposit fee is now available.' };
    case 'Pending':
      return {
        kinds: ['pendingDeposit'],
        note: `Counted as pending. The deposit callback follows once it has ${tx.requiredConfirmations} confirmations — add them under Pending transactions.`,
      };
    case 'Failed':
      return { kinds: ['pendingDeposit', 'failedDeposit'], note: 'Seen on chain, then reported failed: nothing was credited.' };
  }
}
