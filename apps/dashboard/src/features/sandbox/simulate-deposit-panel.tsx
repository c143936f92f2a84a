import { type FormEvent, useState } from 'react';
import { fieldError } from '../../app/api-error';
import { ProblemAlert } from '../../ui/problem-alert';
import { SelectField } from '../../ui/select-field';
import { TextField } from '../../ui/text-field';
import type { Transaction } from '../transactions/transactions-api';
import { OutcomeRadios } from './outcome-radios';
import { type DepositOutcome, type SandboxNetwork, type SimulateDepositRequest, sandboxApi, useSandboxAction, useSandboxSettings } from './sandbox-api';
import { assetOptions, isSandboxNetwork, NETWORK_OPTIONS, REQUIRED_CONFIRMATIONS } from './sandbox-options';
import { SimulatedDepositResult } from './simulated-deposit-result';

const FIELDS = ['network', 'token', 'identifier', 'amount'];

interface SimulateDepositPanelProps {
  readonly bpId: string;
  /** False for viewers: they see the form but cannot send it. */
  readonly canAct: boolean;
}

export function SimulateDepositPanel({ bpId, canAct }: SimulateDepositPanelProps) {
  const [network, setNetwork] = useState<SandboxNetwork>('TRX-SHASTA');
  const [token, setToken] = useState<'USDT' | ''>('USDT');
  const [identifier, setIdentifier] = useState('test-user');
  const [amount, setAmount] = useState('');
  const [outcome, setOutcome] = useState<DepositOutcome>('confirm');
  const settings = useSandboxSettings(bpId);
  const [result, setResult] = useState<Transaction | null>(null);
  const simulate = useSandboxAction(bpId, (request: SimulateDepositRequest) => sandboxApi.simulateDeposit(bpId, request));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setResult(null);
    const request: SimulateDepositRequest = { network, identifier: identifier.trim(), amount: amount.trim(), outcome, ...(token === '' ? {} : { token }) };
    simulate.mutate(request, { onSuccess: setResult });
  }

  const symbol = token === '' ? network : token;
  return (
    <section className="panel" aria-labelledby="simulate-title">
      <div className="panel-header">
        <h2 id="simulate-title">Simulate a deposit</h2>
      </div>
      <p className="muted">
        The sandbox chain reports a transfer to the identifier’s permanent deposit address, exactly as a real chain adapter would — balances, fees and callbacks
        are the real thing.
      </p>
      <form onSubmit={submit} className="simulate-form" aria-label="Simulate a deposit">
        <fieldset className="simulate-fields" disabled={!canAct}>
          <SelectField
            label="Network"
            value={network}
            options={NETWORK_OPTIONS}
            onChange={(value) => {
              if (isSandboxNetwork(value)) setNetwork(value);
            }}
          />
          <SelectField label="Asset" value={token} options={assetOptions(network)} onChange={(value) => setToken(value === 'USDT' ? 'USDT' : '')} />
          <TextField
            label="Identifier"
            value={identifier}
            onChange={setIdentifier}
            hint="Your id for the payer; each has one permanent address per network."
            error={fieldError(simulate.error, 'identifier') ?? fieldError(simulate.error, 'toAddress')}
            autoComplete="off"
            spellCheck={false}
            maxLength={64}
            required
          />
          <TextField
            label={`Amount (${symbol})`}
            value={amount}
            onChange={setAmount}
            placeholder="e.g. 250"
            inputMode="decimal"
            hint="A decimal like 12.5. Worth under 1 USDT: recorded but not settled."
            error={fieldError(simulate.error, 'amount')}
            autoComplete="off"
            required
          />
          <OutcomeRadios value={outcome} onChange={setOutcome} autoConfirmSeconds={settings.data?.autoConfirmSeconds} />
        </fieldset>
        <ProblemAlert error={simulate.error} fields={FIELDS} />
        <div className="simulate-actions">
          <button type="submit" className="btn btn-primary" disabled={!canAct || simulate.isPending}>
            {simulate.isPending ? 'Simulating…' : 'Simulate deposit'}
          </button>
          <span className="muted">
            {canAct
              ? `${network} deposits need ${REQUIRED_CONFIRMATIONS[network]} confirmations.`
              : 'Read-only: only developers, admins and owners can simulate deposits.'}
          </span>
        </div>
      </form>
      {result !== null && <SimulatedDepositResult tx={result} onDismiss={() => setResult(null)} />}
    </section>
  );
}
