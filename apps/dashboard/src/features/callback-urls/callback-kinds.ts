import type { CallbackKind } from './callback-settings-api';

export interface CallbackKindInfo {
  readonly kind: CallbackKind;
  readonly label: string;
  readonly description: string;
}

/** In the order a transaction moves through them, deposits first. */
export const CALLBACK_KINDS: readonly CallbackKindInfo[] = [
  { kind: 'deposit', label: 'Deposit', description: 'Completed deposits' },
  { kind: 'pendingDeposit', label: 'Pending deposit', description: 'Registered but not finalized deposits' },
  { kind: 'failedDeposit', label: 'Failed deposit', description: 'Unsuccessful deposits' },
  { kind: 'payout', label: 'Payout', description: 'Completed payouts' },
  { kind: 'pendingPayout', label: 'Pending payout', description: 'Registered but not finalized payouts' },
  { kind: 'failedPayout', label: 'Failed payout', description: 'Unsuccessful payouts' },
];
