import { statusText } from '../usage/http-status-text';
import { statusClassOf } from '../usage/status-class';

/** The status code, coloured by class like the Overview's charts. */
export function StatusBadge({ status, withText = false }: { readonly status: number; readonly withText?: boolean }) {
  const text = statusText(status);
  return (
    <span className={`status-badge status-badge-${statusClassOf(status)}`} title={text === '' ? undefined : text}>
      {status}
      {withText && text !== '' && <span className="status-badge-text">{text}</span>}
    </span>
  );
}
