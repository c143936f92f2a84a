import type { NetworkSymbol } from '../adapter.js';

/**
 * Why the Tron signer refused to build a payout. Stable codes the payout pipeline maps to its
 * own outcome (wait and notify the team for a hot wallet short of funds; fail for a transfer
 * that cannot succeed); documented in docs/chains.md.
 */
export type TronPayoutRefusalCode =
  /** The hot wallet holds less TRX than the amount plus the most the network fee can be. */
  | 'hot_wallet_insufficient_trx'
  /** The hot wallet holds fewer USDT than the payout amount. */
  | 'hot_wallet_insufficient_usdt'
  /** The energy estimate priced at the current energy fee exceeds the configured fee limit. */
  | 'fee_limit_exceeded'
  /** The node's dry run of the TRC-20 transfer reverts (e.g. the recipient is blacklisted). */
  | 'transfer_would_revert'
  /** A rebuild was asked for while the previous signed transaction could still land. */
  | 'rebuild_too_early';

export class TronPayoutRefusal extends Error {
  override readonly name = 'TronPayoutRefusal';
  constructor(
    readonly network: NetworkSymbol,
    readonly code: TronPayoutRefusalCode,
    message: string,
    /** For the funds codes: what is needed and what the hot wallet has, base units. */
    readonly details: { readonly needed?: bigint; readonly available?: bigint } = {},
  ) {
    super(message);
  }
}
