import { type FormEvent, useState } from 'react';
import { fromLocalInputValue, toLocalInputValue } from '../../ui/datetime-local';
import { TextField } from '../../ui/text-field';
import { customRangeProblem, type OverviewRange } from './usage-range';

interface CustomRangeFormProps {
  /** Where the inputs start: the range on screen, so a custom range is usually a small tweak of it. */
  readonly initial: { readonly from: string; readonly to: string };
  readonly tz: string;
  readonly onApply: (range: OverviewRange) => void;
  readonly onCancel: () => void;
}

export function CustomRangeForm({ initial, tz, onApply, onCancel }: CustomRangeFormProps) {
  const [from, setFrom] = useState(() => toLocalInputValue(initial.from));
  const [to, setTo] = useState(() => toLocalInputValue(initial.to));
  const [problem, setProblem] = useState<string | undefined>(undefined);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const fromIso = fromLocalInputValue(from);
    const toIso = fromLocalInputValue(to);
    const found = customRangeProblem(fromIso, toIso);
    setProblem(found);
    if (found === undefined && fromIso !== null && toIso !== null) onApply({ kind: 'custom', from: fromIso, to: toIso });
  }

  return (
    <form onSubmit={submit} className="custom-range" aria-label="Custom time range">
      <TextField label="From" type="datetime-local" value={from} onChange={setFrom} required />
      <TextField label="To" type="datetime-local" value={to} onChange={setTo} required />
      <div className="custom-range-actions">
        <button type="submit" className="btn btn-primary">
          Apply range
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <p className="field-hint custom-range-hint">Local times in {tz}. The end is capped at now.</p>
      {problem !== undefined && (
        <p className="field-error custom-range-hint" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
