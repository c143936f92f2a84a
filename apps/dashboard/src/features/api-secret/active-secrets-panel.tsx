import { formatDateTime } from '../../ui/format';
import { ProblemAlert } from '../../ui/problem-alert';
import type { ApiSecret, RevealedSecret } from './api-secret-api';
import { SecretValue } from './secret-value';
import { useRevealSecrets } from './use-reveal-secrets';

interface ActiveSecretsPanelProps {
  readonly bpId: string;
  readonly secrets: readonly ApiSecret[];
  /** Owners and admins may reveal and rotate; developers only see the metadata. */
  readonly canManage: boolean;
  /** Values revealed on this page, held in its state; null while hidden. */
  readonly revealed: readonly RevealedSecret[] | null;
  readonly onRevealed: (secrets: readonly RevealedSecret[]) => void;
  readonly onHide: () => void;
  readonly onRotate: () => void;
}

export function ActiveSecretsPanel({ bpId, secrets, canManage, revealed, onRevealed, onHide, onRotate }: ActiveSecretsPanelProps) {
  const reveal = useRevealSecrets(bpId, onRevealed);
  return (
    <section className="panel panel-flush" aria-labelledby="active-secrets-title">
      <div className="panel-header">
        <div className="panel-title">
          <h2 id="active-secrets-title">Active secrets</h2>
          {secrets.length > 1 && <span className="badge badge-warning">Rotation in progress</span>}
        </div>
        {canManage ? (
          <div className="inline-form-actions">
            {revealed === null ? (
              <button type="button" className="btn btn-small" onClick={() => reveal.mutate()} disabled={reveal.isPending}>
                {reveal.isPending ? 'Revealing…' : 'Reveal'}
              </button>
            ) : (
              <button type="button" className="btn btn-small" onClick={onHide}>
                Hide
              </button>
            )}
            <button type="button" className="btn btn-small" onClick={onRotate}>
              Rotate secret
            </button>
          </div>
        ) : (
          <span className="muted">Only owners and admins can reveal or rotate the secret.</span>
        )}
      </div>
      <ProblemAlert error={reveal.error} />
      <ul className="secret-list">
        {secrets.map((secret, index) => (
          <SecretItem key={secret.id} secret={secret} newest={index === secrets.length - 1} value={revealed?.find((r) => r.id === secret.id)?.secret} />
        ))}
      </ul>
      {revealed !== null && (
        <p className="panel-footer muted" role="status">
          Revealing is recorded in the audit log. The values stay on this page only until you hide them or leave it.
        </p>
      )}
    </section>
  );
}

interface SecretItemProps {
  readonly secret: ApiSecret;
  /** The newest secret is the one to configure; older ones only sign until their rotation ends. */
  readonly newest: boolean;
  readonly value: string | undefined;
}

function SecretItem({ secret, newest, value }: SecretItemProps) {
  return (
    <li className="secret-item" data-testid="api-secret">
      <div className="secret-item-head">
        <div className="secret-item-id">
          <span className="secret-item-label">Fingerprint</span>
          <code className="secret-fingerprint">{secret.fingerprint}</code>
        </div>
        {secret.expiresAt === null ? (
          <span className="badge badge-success">{newest ? 'Current' : 'Signing'}</span>
        ) : (
          <span className="badge badge-warning" title="The previous secret keeps signing until the rotation's overlap ends.">
            Previous · signs until {formatDateTime(secret.expiresAt)}
          </span>
        )}
      </div>
      <p className="cell-secondary">
        Created {formatDateTime(secret.createdAt)} by {secret.createdBy} · <span className="mono">{secret.id}</span>
      </p>
      {value !== undefined && <SecretValue secret={value} />}
    </li>
  );
}
