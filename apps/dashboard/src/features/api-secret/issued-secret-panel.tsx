import { useEffect, useRef } from 'react';
import { CopyButton } from '../../ui/copy-button';
import { formatDateTime } from '../../ui/format';
import type { IssuedSecret } from './issued-secret';

interface IssuedSecretPanelProps {
  readonly issued: IssuedSecret;
  /** The user saved the secret; the caller forgets it. */
  readonly onSaved: () => void;
}

/** The new secret right after a rotation, with what happens to the previous one. */
export function IssuedSecretPanel({ issued, onSaved }: IssuedSecretPanelProps) {
  const ref = useRef<HTMLElement>(null);
  // The panel appears above the list the user was looking at (and a dialog that just closed);
  // bring it into view and move focus there so keyboard and screen reader users land on it too.
  useEffect(() => {
    ref.current?.focus();
    ref.current?.scrollIntoView({ block: 'start' });
  }, []);

  return (
    <section ref={ref} tabIndex={-1} className="panel panel-secret" aria-labelledby="issued-secret-title">
      <div className="panel-header">
        <h2 id="issued-secret-title">Save your new API secret</h2>
        <span className="badge badge-warning">Shown once</span>
      </div>
      <p>
        Put it in your backend’s secret store now, e.g. as <code>PAYGATE_API_SECRET</code>. Owners and admins can reveal it again later, after confirming it’s
        them.
      </p>
      <div className="secret-row">
        <code className="secret-value" data-testid="issued-secret">
          {issued.secret}
        </code>
        <CopyButton text={issued.secret} />
      </div>
      <div className={issued.overlapSeconds === 0 ? 'alert alert-warning' : 'callout callout-info'} role="status">
        <p>
          {issued.overlapSeconds === 0 ? (
            <>The previous secret has stopped signing: every callback from the next attempt on is signed with this one only.</>
          ) : (
            <>
              The previous secret keeps signing until <strong>{formatDateTime(issued.previousExpiresAt)}</strong>. Switch your backend to this one before then.
            </>
          )}
        </p>
      </div>
      <div className="panel-actions">
        <button type="button" className="btn btn-primary" onClick={onSaved}>
          I have saved it
        </button>
      </div>
    </section>
  );
}
