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

/** The kinds of callback that report a transaction (each has its own callback URL). */
export type TransactionCallbackKind = 'deposit' | 'pendingDeposit' | 'failedDeposit' | 'payout' | 'pendingPayout' | 'failedPayout';

/**
 * The body of a transaction callback: the {@link Transaction} fields under the portable body profile
 * (docs/callbacks.md) — a field with no value is **absent**, never `null`, and `internalFee` appears
 * only with a member. Presence rules are listed per field; values are as in the API.
 */
export interface TransactionCallbackPayload {
  /** Which callback this is (also in the `Paygate-Callback-Type` header). */
  readonly callbackType: TransactionCallbackKind;
  /** Only on sample callbacks sent from the dashboard (`true`); absent on real ones. */
  readonly test?: true;
  readonly id: string;
  readonly type: 'Deposit' | 'Withdrawal';
  readonly layer: 'L1' | 'L2';
  readonly status: 'Pending' | 'Confirmed' | 'Failed';
  /** Layer 1 deposits: the sender; Layer 1 payouts on a node-backed network, once signed: the hot wallet. Absent otherwise. */
  readonly fromAddress?: string;
  readonly toAddress: string;
  /** Decimal string in the currency's units. */
  readonly amount: string;
  readonly coinSymbol: string;
  /** `USDT` for the token; absent for the network coin. */
  readonly tokenSymbol?: string;
  readonly network: string;
  /** Layer 1 only: the chain transaction (a payout on a node-backed network has none until it is signed). */
  readonly txHash?: string;
  /** Layer 2 only: Paygate's internal transfer reference. */
  readonly l2TxnHash?: string;
  /** Payouts only: the network fee charged; absent while a native payout on a node is pending (docs/callbacks.md). */
  readonly feesPaid?: string;
  /** Confirmed Layer 1 deposits with a fee: `{ deposit: "<fee>" }`. Absent otherwise. */
  readonly internalFee?: { readonly deposit: string };
  /** USD value when the transaction was recorded (decimal string). */
  readonly usdValue?: string;
  readonly settled: boolean;
  /** Deposits: your identifier of the payer. Absent on payouts. */
  readonly identifier?: string;
  /** Payouts: your referenceId. Deposits: the deposit address's referenceId, if it has one. */
  readonly referenceId?: string;
  /** Deposits that matched an open deposit request. */
  readonly depositRequestId?: string;
  readonly confirmations: number;
  readonly requiredConfirmations: number;
  /** Failed transactions only (printable ASCII). */
  readonly failureReason?: string;
  /** ISO 8601 (UTC, milliseconds). */
  readonly initiatedAt: string;
  /** Confirmed transactions only. */
  readonly confirmedAt?: string;
}

/** The body of a `verification` callback: Paygate confirms it sent callback `webhookId`. */
export interface VerificationCallbackPayload {
  readonly verified: true;
  readonly webhookId: string;
  /** The kind of the verified callback (`test` for a sample one, `verification` for a confirmation). */
  readonly callbackType: TransactionCallbackKind | 'test' | 'verification';
  /** The transaction the verified callback reported; absent for a sample callback. */
  readonly transactionId?: string;
  readonly verifiedAt: string;
}

export type CallbackPayload = TransactionCallbackPayload | VerificationCallbackPayload;

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

/** A hosted deposit page (`POST /v1/deposit-urls`): send the customer to `url`. */
export interface DepositUrl {
  readonly id: string;
  /** The page, with an unguessable token; Paygate keeps only its hash, so store the URL if you need it again. */
  readonly url: string;
  readonly identifier: string;
  readonly referenceId: string | null;
  readonly requestedAmount: string | null;
  readonly requestedCurrency: string | null;
  readonly redirectUrl: string | null;
  readonly expiresAt: string;
  /** What the page offers, each with the identifier's permanent address on that network. */
  readonly currencies: readonly { readonly network: string; readonly coinSymbol: string; readonly tokenSymbol: string | null; readonly address: string }[];
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
