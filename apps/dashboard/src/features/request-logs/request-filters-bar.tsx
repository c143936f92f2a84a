import { type FormEvent, useState } from 'react';
import { fromLocalInputValue, toLocalInputValue } from '../../ui/datetime-local';
import { SelectField, type SelectOption } from '../../ui/select-field';
import { TextField } from '../../ui/text-field';
import { hasFilters, KEY_ID_PATTERN, NO_FILTERS, type RequestFilters, STATUS_FILTERS } from './request-filters';

interface RequestFiltersBarProps {
  readonly filters: RequestFilters;
  readonly routes: readonly string[];
  readonly onChange: (next: RequestFilters) => void;
}

/**
 * Selects and times apply as soon as they change; the key id applies on Enter or on leaving the
 * field, once it is a whole id (a half-typed one would only earn a 400).
 * The parent keys this component by the applied key id, which resets the draft when it changes elsewhere.
 */
export function RequestFiltersBar({ filters, routes, onChange }: RequestFiltersBarProps) {
  const [keyDraft, setKeyDraft] = useState(filters.keyId);
  const [keyError, setKeyError] = useState<string | undefined>(undefined);
  const [timeError, setTimeError] = useState<string | undefined>(undefined);

  function applyKey() {
    const keyId = keyDraft.trim();
    if (keyId !== '' && !KEY_ID_PATTERN.test(keyId)) {
      setKeyError('A key id is kp_ followed by 26 letters and digits.');
      return;
    }
    setKeyError(undefined);
    if (keyId !== filters.keyId) onChange({ ...filters, keyId });
  }

  function applyTime(bound: 'from' | 'to', value: string) {
    const next = { ...filters, [bound]: fromLocalInputValue(value) ?? '' };
    if (next.from !== '' && next.to !== '' && Date.parse(next.from) >= Date.parse(next.to)) {
      setTimeError('"From" must be before "To".');
      return;
    }
    setTimeError(undefined);
    onChange(next);
  }

  // Everything applies by itself; Enter must not reload the page.
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
  }

  // A status or route from a link (e.g. the Overview's status codes) may not be among the usual choices.
  const statusOptions: SelectOption[] =
    filters.status === '' || STATUS_FILTERS.some((o) => o.value === filters.status)
      ? [...STATUS_FILTERS]
      : [...STATUS_FILTERS, { value: filters.status, label: `${filters.status} only` }];
  const routeOptions: SelectOption[] = [{ value: '', label: 'All routes' }, ...routes.map((route) => ({ value: route, label: route }))];

  return (
    <form onSubmit={submit} className="filters" aria-label="Filter requests">
      <SelectField label="Status" value={filters.status} options={statusOptions} onChange={(status) => onChange({ ...filters, status })} />
      <SelectField label="Route" value={filters.route} options={routeOptions} onChange={(route) => onChange({ ...filters, route })} />
      <TextField
        label="Key ID"
        placeholder="kp_…"
        value={keyDraft}
        onChange={(value) => {
          setKeyDraft(value);
          setKeyError(undefined);
        }}
        onBlur={applyKey}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            applyKey();
          }
        }}
        error={keyError}
        autoComplete="off"
        spellCheck={false}
        maxLength={40}
        className="filters-key"
      />
      <TextField
        label="From"
        type="datetime-local"
        value={filters.from === '' ? '' : toLocalInputValue(filters.from)}
        onChange={(value) => applyTime('from', value)}
        error={timeError}
      />
      <TextField label="To" type="datetime-local" value={filters.to === '' ? '' : toLocalInputValue(filters.to)} onChange={(value) => applyTime('to', value)} />
      {hasFilters(filters) && (
        <button
          type="button"
          className="btn-link filters-clear"
          onClick={() => {
            setKeyDraft('');
            setKeyError(undefined);
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
