import { ProblemAlert } from '../../ui/problem-alert';
import { Skeleton } from '../../ui/skeleton';
import { assetSymbol, currencyLabel, isZeroAmount } from './transaction-format';
import { type Balance, useBalances } from './transactions-api';

/** One per currency of the environment, so the strip keeps its shape while it loads. */
const PLACEHOLDERS = ['coin-eth', 'coin-trx', 'usdt-eth', 'usdt-trx'] as const;

/** The page refreshes these whenever its transaction list changes; see `useBalancesFollow`. */
export function BalancesStrip({ bpId }: { readonly bpId: string }) {
  const balances = useBalances(bpId);
  return (
    <section className="balances" aria-labelledby="balances-title">
      <h2 id="balances-title" className="visually-hidden">
        Balances
      </h2>
      <ProblemAlert error={balances.error} />
      <div className="balance-grid">
        {balances.data === undefined
          ? balances.isPending &&
            PLACEHOLDERS.map((key) => (
              <div key={key} className="balance-card" aria-hidden="true">
                <Skeleton width="55%" height={14} />
                <Skeleton width="70%" height={28} />
                <Skeleton width="90%" height={14} />
              </div>
            ))
          : balances.data.map((balance) => <BalanceCard key={balance.currency} balance={balance} />)}
      </div>
    </section>
  );
}

/** A coloured mark per asset, so the cards can be told apart at a glance (USDT, Ether, TRON). */
function assetMark(balance: Balance): { readonly glyph: string; readonly className: string } {
  if (balance.tokenSymbol === 'USDT') return { glyph: '₮', className: 'asset-mark asset-mark-usdt' };
  return balance.network === 'SEP' || balance.network === 'ETH'
    ? { glyph: 'Ξ', className: 'asset-mark asset-mark-eth' }
    : { glyph: 'T', className: 'asset-mark asset-mark-trx' };
}

function BalanceCard({ balance }: { readonly balance: Balance }) {
  const mark = assetMark(balance);
  const titleId = `balance-${balance.currency}`;
  const symbol = assetSymbol(balance);
  const empty = isZeroAmount(balance.available) && isZeroAmount(balance.pending) && isZeroAmount(balance.reserved);
  return (
    <section className={empty ? 'balance-card balance-card-empty' : 'balance-card'} aria-labelledby={titleId} data-testid={`balance-${balance.currency}`}>
      <div className="balance-card-head">
        <span className={mark.className} aria-hidden="true">
          {mark.glyph}
        </span>
        <h3 id={titleId}>{currencyLabel(balance)}</h3>
        {balance.tokenSymbol === null && <span className="balance-kind">coin</span>}
      </div>
      <p className="balance-available">
        <span className="balance-amount" data-testid="balance-available">
          {balance.available}
        </span>
        <span className="balance-symbol">{symbol}</span>
      </p>
      <p className="balance-caption">Available</p>
      <dl className="balance-split">
        <div>
          <dt>Pending</dt>
          <dd>{balance.pending}</dd>
        </div>
        <div>
          <dt>Reserved</dt>
          <dd>{balance.reserved}</dd>
        </div>
      </dl>
    </section>
  );
}
