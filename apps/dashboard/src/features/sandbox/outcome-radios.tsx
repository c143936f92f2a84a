import { useId } from 'react';
import type { DepositOutcome } from './sandbox-api';
import { OUTCOME_OPTIONS } from './sandbox-options';

interface OutcomeRadiosProps {
  readonly value: DepositOutcome;
  readonly onChange: (value: DepositOutcome) => void;
}

/** Each choice says which callbacks it produces, which is what people come here to test. */
export function OutcomeRadios({ value, onChange }: OutcomeRadiosProps) {
  const name = useId();
  return (
    <fieldset className="outcome-radios">
      <legend>Outcome</legend>
      <div className="outcome-options">
        {OUTCOME_OPTIONS.map((option) => (
          <label key={option.value} className={option.value === value ? 'outcome-option selected' : 'outcome-option'}>
            <input type="radio" name={name} value={option.value} checked={option.value === value} onChange={() => onChange(option.value)} />
            <span className="outcome-text">
              <span className="outcome-label">{option.label}</span>
              <span className="outcome-callbacks">{option.callbacks}</span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
