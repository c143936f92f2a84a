import { type FormEvent, useState } from 'react';
import { fromLocalInputValue, toLocalInputValue } from '../../ui/datetime-local';
import { SelectField } from '../../ui/select-field';
import { TextField } from '../../ui/text-field';
import { type DeliveryFilters, hasFilters, KIND_OPTIONS, NO_FILTERS, STATUS_OPTIONS } from './delivery-filters';

interface DeliveryFiltersBarProps {
  readonly filters: DeliveryFilters;
  readonly onChange: (next: DeliveryFilters) => void;
}

/** Every control applies as soon as it changes; there is nothing to submit. */
export function DeliveryFiltersBar({ filters, onChange }: DeliveryFiltersBarProps) {
  const [timeError, setTimeError] = useState<string | undefined>(undefined);

  function applyTime(bound: 'from' | 'to', value: string) {
    const next = { ...filters, [bound]: fromLocalInputValue(value) ?? '' };
    if (next.from !== '' && next.to !== '' && Date.parse(next.from) >= Date.parse(next.to)) {
      setTimeError('"From" must be before "To".');
      return;
    }
    setTimeError(undefined);
    onChange(next);
  }

  // Enter must not reload the page.
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
  }

  return (
    <form onSubmit={submit} className="filters delivery-filters" aria-label="Filter deliveries">
      <SelectField label="Kind" value={filters.kind} options={KIND_OPTIONS} onChange={(kind) => onChange({ ...filters, kind })} />
      <SelectField label="Status" value={filters.status} options={STATUS_OPTIONS} onChange={(status) => onChange({ ...filters, status })} />
      <TextField
        label="From"
        type="datetime-local"
        value={filters.from === '' ? '' : toLocalInputValue(filters.from)}
        onChange={(value) => applyTime('from', value)}
        error={timeError}
      />
      <TextField label="To" type="datetime-local" value={filters.to === '' ? '' : toLocalInputValue(filters.to)} onChange={(value) => applyTime('to', value)} />
      {filters.transaction !== '' && (
        <span className="filter-chip" data-testid="transaction-filter">
          Transaction <code>{filters.transaction}</code>
          <button type="button" className="btn-link" aria-label="Show deliveries of all transactions" onClick={() => onChange({ ...filters, transaction: '' })}>
            ×
          </button>
        </span>
      )}
      {hasFilters(filters) && (
        <button
          type="button"
          className="btn-link filters-clear"
          onClick={() => {
            setTimeError(undefined);
            onChange(NO_FILTERS);
          }}
        >
          Clear filters
        </button>
      )}
    </form>
  );
}
