import { useId } from 'react';
import type { DepositOutcome } from './sandbox-api';
import { outcomeOptions } from './sandbox-options';

interface OutcomeRadiosProps {
  readonly value: DepositOutcome;
  readonly onChange: (value: DepositOutcome) => void;
  /** The sandbox's automatic confirmation delay, once known. */
  readonly autoConfirmSeconds: number | undefined;
}

/** Each choice says which callbacks it produces, which is what people come here to test. */
export function OutcomeRadios({ value, onChange, autoConfirmSeconds }: OutcomeRadiosProps) {
  const name = useId();
  return (
    <fieldset className="outcome-radios">
      <legend>Outcome</legend>
      <div className="outcome-options">
        {outcomeOptions(autoConfirmSeconds).map((option) => (
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
