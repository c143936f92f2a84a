import { statusText } from '../usage/http-status-text';
import { statusClassOf } from '../usage/status-class';
import { ERROR_CLASS_LABELS, isErrorClass } from './error-classes';

interface DeliveryResultProps {
  readonly statusCode: number | null;
  /** An attempt's error class, or a delivery's `lastError` ("timeout: …"), for failures without an answer. */
  readonly error: string | null;
  readonly withText?: boolean;
}

/** "HTTP 500" coloured by class, or the kind of failure when no answer came. */
export function DeliveryResult({ statusCode, error, withText = false }: DeliveryResultProps) {
  if (statusCode !== null) {
    const reason = statusText(statusCode);
    return (
      <span className={`status-badge status-badge-${statusClassOf(statusCode)}`} title={reason === '' ? undefined : reason}>
        HTTP {statusCode}
        {withText && reason !== '' && <span className="status-badge-text">{reason}</span>}
      </span>
    );
  }
  if (error === null) return <span className="muted">—</span>;
  const errorClass = error.split(':', 1)[0]?.trim() ?? '';
  return (
    <span className="delivery-error" title={error}>
      {isErrorClass(errorClass) ? ERROR_CLASS_LABELS[errorClass] : error}
    </span>
  );
}
