import { useState } from 'react';
import { NavIconGlyph } from '../../ui/nav-icon';
import { ProblemAlert } from '../../ui/problem-alert';
import type { IssuedKey } from './issued-key';
import { UploadPublicKeyForm } from './upload-public-key-form';
import { useIssueKeyPair } from './use-issue-keypair';

interface KeyPairOnboardingProps {
  readonly bpId: string;
  readonly canManage: boolean;
  readonly onIssued: (issued: IssuedKey) => void;
}

/** No active KeyPair: the first step of every integration, so it gets the whole panel. */
export function KeyPairOnboarding({ bpId, canManage, onIssued }: KeyPairOnboardingProps) {
  const [uploading, setUploading] = useState(false);
  const generate = useIssueKeyPair(bpId, onIssued);

  return (
    <section className="panel onboarding" aria-labelledby="keypair-onboarding-title">
      <div className="onboarding-icon">
        <NavIconGlyph icon="key" />
      </div>
      <h2 id="keypair-onboarding-title">Generate your first Secondary KeyPair</h2>
      <p className="muted onboarding-text">
        Your backend signs every Paygate API request with the private key of this Ed25519 KeyPair; Paygate keeps only the public key to check the signatures.
        Generate one here and save the private key when it is shown — once.
      </p>
      {canManage ? (
        <>
          <ProblemAlert error={generate.error} />
          {uploading ? (
            <UploadPublicKeyForm bpId={bpId} onIssued={onIssued} onCancel={() => setUploading(false)} />
          ) : (
            <div className="onboarding-actions">
              <button
                type="button"
                className="btn btn-primary"
                onClick={() => generate.mutate({ mode: 'generate', confirm: false })}
                disabled={generate.isPending}
              >
                {generate.isPending ? 'Generating…' : 'Generate KeyPair'}
              </button>
              <button
                type="button"
                className="btn"
                onClick={() => {
                  generate.reset();
                  setUploading(true);
                }}
              >
                Use my own public key
              </button>
            </div>
          )}
        </>
      ) : (
        <div className="alert alert-warning">
          <p>Only admins and owners can create the KeyPair. Ask one of them to generate it.</p>
        </div>
      )}
    </section>
  );
}
