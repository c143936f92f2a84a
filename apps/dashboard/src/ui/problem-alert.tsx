import { ApiError } from '../app/api-error';
import { ReauthCancelledError } from '../features/auth/reauth/reauth-context';

interface ProblemAlertProps {
  readonly error: unknown;
  /** Fields the form already shows errors next to; their messages are not repeated here. */
  readonly fields?: readonly string[];
}

function messageFor(error: unknown, fields: readonly string[]): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Reload the page and try again.';
  if (error.code !== 'validation_failed' || error.fieldErrors.length === 0) return error.detail;
  // The server's summary names raw paths (body.password); when every field error is shown inline, a plain pointer reads better.
  const elsewhere = error.fieldErrors.filter((e) => !fields.some((f) => e.field === f || e.field === `body.${f}`));
  if (elsewhere.length === 0) return 'Check the highlighted fields.';
  return elsewhere.map((e) => `${e.field.replace(/^body\./, '')}: ${e.message}`).join(' · ');
}

/**
 * The server's explanation of a failed request, plus its request id for support.
 * A cancelled "confirm it's you" dialog is the user's choice, not an error, so it shows nothing.
 */
export function ProblemAlert({ error, fields = [] }: ProblemAlertProps) {
  if (error === null || error === undefined || error instanceof ReauthCancelledError) return null;
  const requestId = error instanceof ApiError ? error.requestId : null;
  return (
    <div className="alert alert-error" role="alert">
      <p>{messageFor(error, fields)}</p>
      {requestId !== null && <p className="request-id">Request id: {requestId}</p>}
    </div>
  );
}
