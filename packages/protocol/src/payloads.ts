/**
 * Payload types of the BP API and of callbacks, shared by the server (which produces them) and the
 * SDK (which consumes them). Amounts are decimal strings, never numbers.
 */

/** A deposit or payout, as the API returns it and callbacks carry it (AkashicPay-style field names). */
export interface Transaction {
  readonly id: string;
  readonly type: 'Deposit' | 'Withdrawal';
  readonly layer: 'L1' | 'L2';
  readonly status: 'Pending' | 'Confirmed' | 'Failed';
  readonly fromAddress: string | null;
  readonly toAddress: string;
  /** Decimal string in the currency's units. */
  readonly amount: string;
  readonly coinSymbol: string;
  readonly tokenSymbol: string | null;
  readonly network: string;
  readonly txHash: string | null;
  readonly l2TxnHash: string | null;
  readonly feesPaid: string | null;
  readonly internalFee: { readonly deposit?: string };
  readonly usdValue: string | null;
  readonly settled: boolean;
  readonly identifier: string | null;
  readonly referenceId: string | null;
  readonly depositRequestId: string | null;
  readonly confirmations: number;
  readonly requiredConfirmations: number;
  readonly failureReason: string | null;
  readonly initiatedAt: string;
  readonly confirmedAt: string | null;
}

export interface TransactionPage {
  readonly items: Transaction[];
  readonly page: number;
  readonly limit: number;
  readonly total: number;
}

export interface DepositAddress {
  readonly address: string;
  readonly network: string;
  readonly identifier: string;
  readonly referenceId: string | null;
  readonly createdAt: string;
  readonly depositRequest: { readonly id: string; readonly requestedAmount: string; readonly requestedCurrency: string; readonly expiresAt: string } | null;
}

export interface Balance {
  readonly currency: string;
  readonly network: string;
  readonly coinSymbol: string;
  readonly tokenSymbol: string | null;
  readonly available: string;
  readonly pending: string;
  readonly reserved: string;
}

export interface SupportedCurrency {
  readonly network: string;
  readonly coinSymbol: string;
  readonly tokenSymbol: string | null;
  readonly decimals: number;
  readonly displayName: string;
  readonly confirmations: number;
  readonly payoutFee: string;
}
