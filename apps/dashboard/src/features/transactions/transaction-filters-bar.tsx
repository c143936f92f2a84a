import { type FormEvent, useState } from 'react';
import { SelectField } from '../../ui/select-field';
import { TextField } from '../../ui/text-field';
import { hasFilters, LAYER_OPTIONS, NO_FILTERS, STATUS_OPTIONS, type TransactionFilters, TYPE_OPTIONS } from './transaction-filters';

interface TransactionFiltersBarProps {
  readonly filters: TransactionFilters;
  /** Called with page 1: a narrower list may not have the page being shown. */
  readonly onChange: (next: TransactionFilters) => void;
}

/** Every control applies as soon as it changes; there is nothing to submit. */
export function TransactionFiltersBar({ filters, onChange }: TransactionFiltersBarProps) {
  const [rangeError, setRangeError] = useState<string | undefined>(undefined);
  const apply = (change: Partial<TransactionFilters>) => onChange({ ...filters, ...change, page: 1 });

  function applyDay(bound: 'from' | 'to', value: string) {
    const next = { ...filters, [bound]: value };
    // YYYY-MM-DD strings sort like the days they name.
    if (next.from !== '' && next.to !== '' && next.from > next.to) {
      setRangeError('"From" must not be after "To".');
      return;
    }
    setRangeError(undefined);
    apply({ [bound]: value });
  }

  // Enter must not reload the page.
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
  }

  return (
    <form onSubmit={submit} className="tx-filters" aria-label="Filter transactions">
      <SelectField label="Type" value={filters.type} options={TYPE_OPTIONS} onChange={(type) => apply({ type })} />
      <SelectField label="Status" value={filters.status} options={STATUS_OPTIONS} onChange={(status) => apply({ status })} />
      <SelectField label="Layer" value={filters.layer} options={LAYER_OPTIONS} onChange={(layer) => apply({ layer })} />
      <TextField label="From" type="date" value={filters.from} onChange={(value) => applyDay('from', value)} error={rangeError} />
      <TextField label="To" type="date" value={filters.to} onChange={(value) => applyDay('to', value)} />
      <div className="tx-filters-row">
        <label className="tx-checkbox">
          <input type="checkbox" checked={filters.hideSmall} onChange={(event) => apply({ hideSmall: event.target.checked })} />
          <span>Hide small deposits (&lt; 1 USDT)</span>
        </label>
        {hasFilters(filters) && (
          <button
            type="button"
            className="btn-link tx-filters-clear"
            onClick={() => {
              setRangeError(undefined);
              onChange({ ...NO_FILTERS, limit: filters.limit });
            }}
          >
            Clear filters
          </button>
        )}
      </div>
    </form>
  );
}
