import type { ReactNode } from 'react';
import type { StatusClass } from './status-class';

/** One "label value" pair in a KPI card's footer; a status class label gets its colour dot. */
export function KpiDetail({ label, statusClass, children }: { readonly label: string; readonly statusClass?: StatusClass; readonly children: ReactNode }) {
  return (
    <div>
      <dt>
        {statusClass !== undefined && <span className={`status-dot status-dot-${statusClass}`} aria-hidden="true" />}
        {label}
      </dt>
      <dd>{children}</dd>
    </div>
  );
}
