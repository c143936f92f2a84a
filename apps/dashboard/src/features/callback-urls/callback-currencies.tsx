import { useActiveBp } from '../auth/current-session';

interface Currency {
  readonly label: string;
  /** The network it lives on in the sandbox, where testnets stand in for the real chains. */
  readonly sandbox: string;
}

const CURRENCIES: readonly Currency[] = [
  { label: 'ETH', sandbox: 'SEP' },
  { label: 'TRX', sandbox: 'TRX-SHASTA' },
  { label: 'USDT on Ethereum', sandbox: 'USDT on SEP' },
  { label: 'USDT on Tron', sandbox: 'USDT on TRX-SHASTA' },
];

/** Every kind covers the same currencies; the sandbox names its testnets. */
export function CallbackCurrencies() {
  const bp = useActiveBp();
  const sandbox = bp.environment === 'sandbox';
  return (
    <div className="callback-currencies">
      <span className="callback-currencies-label">Supported currencies</span>
      <ul>
        {CURRENCIES.map((currency) => (
          <li key={currency.label} title={sandbox ? `In the sandbox: ${currency.sandbox}` : undefined}>
            {currency.label}
          </li>
        ))}
      </ul>
      {sandbox && <span className="cell-secondary">In the sandbox on the SEP and TRX-SHASTA testnets.</span>}
    </div>
  );
}
