import { type FormEvent, useState } from 'react';
import { ProblemAlert } from '../../ui/problem-alert';
import type { IssuedKey } from './issued-key';
import { PublicKeyField } from './public-key-field';
import { useIssueKeyPair } from './use-issue-keypair';

interface UploadPublicKeyFormProps {
  readonly bpId: string;
  readonly onIssued: (issued: IssuedKey) => void;
  readonly onCancel: () => void;
}

/** The first KeyPair from the BP's own public key (no active key yet, so no confirmation). */
export function UploadPublicKeyForm({ bpId, onIssued, onCancel }: UploadPublicKeyFormProps) {
  const [publicKey, setPublicKey] = useState('');
  const upload = useIssueKeyPair(bpId, onIssued);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    upload.mutate({ mode: 'upload', publicKey: publicKey.trim(), confirm: false });
  }

  return (
    <form onSubmit={submit} className="stack upload-form">
      <PublicKeyField value={publicKey} onChange={setPublicKey} error={upload.error} />
      <ProblemAlert error={upload.error} fields={['publicKey']} />
      <div className="inline-form-actions">
        <button type="submit" className="btn btn-primary" disabled={upload.isPending}>
          {upload.isPending ? 'Registering…' : 'Register public key'}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
