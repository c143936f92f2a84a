import { type FormEvent, useState } from 'react';
import { Dialog } from '../../ui/dialog';
import { ProblemAlert } from '../../ui/problem-alert';
import type { IssuedKey } from './issued-key';
import { PublicKeyField } from './public-key-field';
import { useIssueKeyPair } from './use-issue-keypair';

interface RefreshKeyPairDialogProps {
  readonly bpId: string;
  readonly activeKeyId: string;
  readonly onIssued: (issued: IssuedKey) => void;
  readonly onClose: () => void;
}

/**
 * Refreshing revokes the active key everywhere at once, so the user must say they understand
 * before the button works; the request then carries `confirm: true`.
 */
export function RefreshKeyPairDialog({ bpId, activeKeyId, onIssued, onClose }: RefreshKeyPairDialogProps) {
  const [understood, setUnderstood] = useState(false);
  // Null: let Paygate generate the new pair; a string: the BP's own public key.
  const [publicKey, setPublicKey] = useState<string | null>(null);
  const refresh = useIssueKeyPair(bpId, (issued) => {
    onIssued(issued);
    onClose();
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    refresh.mutate(publicKey === null ? { mode: 'generate', confirm: true } : { mode: 'upload', publicKey: publicKey.trim(), confirm: true });
  }

  return (
    <Dialog
      title="Refresh the KeyPair?"
      description={`The current KeyPair ${activeKeyId} stops working immediately, on every server. Every backend using it must load the new key.`}
      onClose={onClose}
    >
      <form onSubmit={submit} className="stack">
        {publicKey === null ? (
          <p>
            Paygate generates a new Ed25519 key pair and shows its private key once.{' '}
            <button type="button" className="btn-link inline" onClick={() => setPublicKey('')}>
              Use my own public key instead
            </button>
          </p>
        ) : (
          <>
            <PublicKeyField value={publicKey} onChange={setPublicKey} error={refresh.error} />
            <button type="button" className="btn-link" onClick={() => setPublicKey(null)}>
              Let Paygate generate the key pair instead
            </button>
          </>
        )}
        <label className="checkbox-field">
          <input type="checkbox" checked={understood} onChange={(event) => setUnderstood(event.target.checked)} />
          <span>
            I understand that requests signed with <code>{activeKeyId}</code> will be refused from now on.
          </span>
        </label>
        <ProblemAlert error={refresh.error} fields={publicKey === null ? [] : ['publicKey']} />
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-danger" disabled={!understood || refresh.isPending}>
            {refresh.isPending ? 'Refreshing…' : 'Refresh KeyPair'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
