interface GuideStep {
  readonly what: string;
  readonly how: string;
  readonly callbacks: readonly string[];
}

/** The table "Testing every callback kind in the sandbox" of docs/payments.md, in dashboard terms. */
const STEPS: readonly GuideStep[] = [
  { what: 'Deposit, confirmed at once', how: 'Simulate with “Confirm now”', callbacks: ['pendingDeposit', 'deposit'] },
  { what: 'Deposit left pending', how: 'Simulate with “Leave pending”', callbacks: ['pendingDeposit'] },
  { what: 'Its confirmations', how: '“Add confirmation” or “Confirm fully”', callbacks: ['deposit'] },
  { what: 'Failing deposit', how: 'Simulate with “Fail”', callbacks: ['pendingDeposit', 'failedDeposit'] },
  { what: 'Deposit under 1 USDT', how: 'e.g. 3.99 TRX-SHASTA (0.9975 USD)', callbacks: [] },
  { what: 'Payout confirmed', how: 'SDK payout(), then “Confirm”', callbacks: ['pendingPayout', 'payout'] },
  { what: 'Payout failed', how: 'SDK payout(), then “Make it fail”', callbacks: ['pendingPayout', 'failedPayout'] },
  { what: 'Layer 2', how: 'payout() to another identifier’s deposit address', callbacks: ['payout', 'deposit'] },
];

export function CallbackGuide() {
  return (
    <aside className="panel callback-guide" aria-labelledby="callback-guide-title">
      <h2 id="callback-guide-title">How to test every callback kind</h2>
      <ol className="callback-guide-steps">
        {STEPS.map((step) => (
          <li key={step.what}>
            <div className="callback-guide-what">{step.what}</div>
            <div className="cell-secondary">{step.how}</div>
            <div className="callback-guide-chips">
              {step.callbacks.length === 0 ? (
                <span className="callback-chip callback-chip-none">none</span>
              ) : (
                step.callbacks.map((kind) => (
                  <code key={kind} className="callback-chip">
                    {kind}
                  </code>
                ))
              )}
            </div>
          </li>
        ))}
      </ol>
      <p className="cell-secondary">
        Layer 2 sends <code>payout</code> to you and <code>deposit</code> to the receiver. Left alone, the sandbox confirms pending deposits and payouts after{' '}
        <code>PAYGATE_SANDBOX_AUTO_CONFIRM_SECONDS</code> (10 s unless the operator changed it; 0 means only by hand). The same actions are signed API calls
        under <code>/v1/sandbox/</code>.
      </p>
    </aside>
  );
}
