import { SelectField } from '../../ui/select-field';
import { PAGE_SIZE_OPTIONS, PAGE_SIZES, type PageSize } from './transaction-filters';

interface TransactionsPaginationProps {
  readonly page: number;
  readonly limit: PageSize;
  readonly total: number;
  /** The rows on this page, which may be fewer than `limit` on the last one. */
  readonly shown: number;
  readonly busy: boolean;
  readonly onPage: (page: number) => void;
  readonly onLimit: (limit: PageSize) => void;
}

/** "26–50 of 132" with Previous/Next, and how many rows a page holds. */
export function TransactionsPagination({ page, limit, total, shown, busy, onPage, onLimit }: TransactionsPaginationProps) {
  const first = total === 0 ? 0 : (page - 1) * limit + 1;
  const last = total === 0 ? 0 : first + shown - 1;
  return (
    <nav className="panel-footer tx-pagination" aria-label="Pages">
      <SelectField
        label="Rows per page"
        hideLabel
        className="field-compact"
        value={String(limit)}
        options={PAGE_SIZE_OPTIONS}
        onChange={(value) => {
          const size = PAGE_SIZES.find((s) => String(s) === value);
          if (size !== undefined) onLimit(size);
        }}
      />
      <div className="tx-pagination-pages">
        <span className="muted" data-testid="transactions-range" aria-live="polite">
          {first}–{last} of {total}
        </span>
        <button type="button" className="btn btn-small" onClick={() => onPage(page - 1)} disabled={busy || page <= 1}>
          Previous
        </button>
        <button type="button" className="btn btn-small" onClick={() => onPage(page + 1)} disabled={busy || last >= total}>
          Next
        </button>
      </div>
    </nav>
  );
}
