import { useState } from 'react';
import { CopyButton } from '../../ui/copy-button';
import { formatDateTime } from '../../ui/format';
import type { IssuedKey } from './issued-key';
import type { KeyPair } from './keypair-api';
import { SOURCE_LABELS } from './keypair-source';
import { RefreshKeyPairDialog } from './refresh-keypair-dialog';

interface ActiveKeyCardProps {
  readonly bpId: string;
  readonly keypair: KeyPair;
  readonly canManage: boolean;
  readonly onIssued: (issued: IssuedKey) => void;
}

export function ActiveKeyCard({ bpId, keypair, canManage, onIssued }: ActiveKeyCardProps) {
  const [refreshing, setRefreshing] = useState(false);
  return (
    <section className="panel" aria-labelledby="active-key-title">
      <div className="panel-header">
        <div className="panel-title">
          <h2 id="active-key-title">Active KeyPair</h2>
          <span className="badge badge-success">Active</span>
        </div>
        {canManage && (
          <button type="button" className="btn btn-small" onClick={() => setRefreshing(true)}>
            Refresh KeyPair
          </button>
        )}
      </div>
      <dl className="key-identity">
        <div className="key-identity-row">
          <dt>Key ID</dt>
          <dd>
            <code className="key-id" data-testid="active-key-id">
              {keypair.id}
            </code>
            <CopyButton text={keypair.id} label="Copy key ID" />
          </dd>
        </div>
        <div className="key-identity-row">
          <dt>Fingerprint</dt>
          <dd>
            <code className="fingerprint">{keypair.fingerprint}</code>
          </dd>
        </div>
      </dl>
      <dl className="details-grid">
        <div>
          <dt>Algorithm</dt>
          <dd>Ed25519</dd>
        </div>
        <div>
          <dt>Source</dt>
          <dd>{SOURCE_LABELS[keypair.source]}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>
            {formatDateTime(keypair.createdAt)}
            <span className="dd-secondary">by {keypair.createdBy}</span>
          </dd>
        </div>
      </dl>
      <details className="disclosure">
        <summary>Public key</summary>
        <div className="disclosure-body">
          <pre className="pem">{keypair.publicKey}</pre>
          <CopyButton text={keypair.publicKey} label="Copy public key" />
        </div>
      </details>
      {refreshing && <RefreshKeyPairDialog bpId={bpId} activeKeyId={keypair.id} onIssued={onIssued} onClose={() => setRefreshing(false)} />}
    </section>
  );
}
