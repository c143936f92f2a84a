import type { SelectOption } from '../../ui/select-field';
import type { DepositOutcome, SandboxNetwork } from './sandbox-api';

export const NETWORK_OPTIONS: readonly SelectOption[] = [
  { value: 'SEP', label: 'SEP — Ethereum Sepolia' },
  { value: 'TRX-SHASTA', label: 'TRX-SHASTA — Tron Shasta' },
];

export function isSandboxNetwork(value: string): value is SandboxNetwork {
  return value === 'SEP' || value === 'TRX-SHASTA';
}

/** '' is the network's own coin; the server takes no `token` for it. */
export function assetOptions(network: SandboxNetwork): readonly SelectOption[] {
  return [
    { value: 'USDT', label: `USDT (${network === 'SEP' ? 'ERC-20' : 'TRC-20'})` },
    { value: '', label: `${network} (native coin)` },
  ];
}

/** Confirmations each sandbox network needs, as in docs/payments.md. */
export const REQUIRED_CONFIRMATIONS: Record<SandboxNetwork, number> = { SEP: 12, 'TRX-SHASTA': 19 };

export interface OutcomeOption {
  readonly value: DepositOutcome;
  readonly label: string;
  readonly callbacks: string;
}

/**
 * The outcomes, saying what "Leave pending" really does on this server: the sandbox worker
 * confirms what is left pending after `autoConfirmSeconds` (0 = never by itself).
 */
export function outcomeOptions(autoConfirmSeconds: number | undefined): readonly OutcomeOption[] {
  const pending =
    autoConfirmSeconds === undefined
      ? 'pendingDeposit; confirm it below'
      : autoConfirmSeconds === 0
        ? 'pendingDeposit; stays pending until you confirm or fail it below'
        : `pendingDeposit; confirmed automatically after ${autoConfirmSeconds} s unless you confirm or fail it below first`;
  return [
    { value: 'confirm', label: 'Confirm now', callbacks: 'pendingDeposit, then deposit' },
    { value: 'pending', label: 'Leave pending', callbacks: pending },
    { value: 'fail', label: 'Fail', callbacks: 'pendingDeposit, then failedDeposit' },
  ];
}
