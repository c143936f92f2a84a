import { formatRequestTime } from '../request-logs/request-time';
import type { DeliveryAttempt } from './deliveries-api';
import { DeliveryResult } from './delivery-result';
import { explainAttempt } from './error-classes';
import { formatDuration } from './format-duration';
import { HeadersList } from './headers-list';

interface AttemptItemProps {
  readonly attempt: DeliveryAttempt;
  /** The newest attempt opens with its headers and answer showing; older ones stay folded. */
  readonly latest: boolean;
}

/** One attempt: when, how long, what came back and what it means, and the request exactly as sent. */
export function AttemptItem({ attempt, latest }: AttemptItemProps) {
  const success = attempt.errorClass === null;
  return (
    <li className={success ? 'attempt attempt-ok' : 'attempt attempt-failed'} data-testid="delivery-attempt">
      <div className="attempt-head">
        <span className="attempt-number">Attempt {attempt.attempt}</span>
        <span className="attempt-time">{formatRequestTime(attempt.startedAt)}</span>
        <span className="muted">{formatDuration(attempt.durationMs)}</span>
        <DeliveryResult statusCode={attempt.statusCode} error={attempt.errorClass} withText />
      </div>
      <p className="attempt-explanation">{explainAttempt(attempt)}</p>
      {attempt.errorMessage !== null && attempt.errorMessage !== '' && <p className="attempt-error mono">{attempt.errorMessage}</p>}
      <details className="attempt-details" open={latest}>
        <summary>Request headers</summary>
        {attempt.requestHeaders === null ? <p className="muted">The request was not sent.</p> : <HeadersList headers={attempt.requestHeaders} />}
      </details>
      <details className="attempt-details" open={latest}>
        <summary>Response</summary>
        {attempt.responseHeaders === null ? (
          <p className="muted">No answer was received.</p>
        ) : (
          <>
            <HeadersList headers={attempt.responseHeaders} />
            <p className="attempt-subtitle">Body (first 2 KiB)</p>
            {attempt.responseExcerpt === null || attempt.responseExcerpt === '' ? (
              <p className="muted">Empty.</p>
            ) : (
              <pre className="response-excerpt">{attempt.responseExcerpt}</pre>
            )}
          </>
        )}
      </details>
    </li>
  );
}
