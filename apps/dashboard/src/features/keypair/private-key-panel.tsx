import { useEffect, useRef } from 'react';
import { CopyButton } from '../../ui/copy-button';
import { downloadTextFile } from '../../ui/download-text-file';
import { TextAreaField } from '../../ui/text-area-field';
import { useLeaveGuard } from '../../ui/use-leave-guard';
import { keyFileName } from './keypair-api';

interface PrivateKeyPanelProps {
  readonly keyId: string;
  readonly privateKey: string;
  readonly keyFile: string;
  /** The user saved the key; the caller forgets it. */
  readonly onSaved: () => void;
}

function sdkSnippet(keyId: string): string {
  return [
    "import { Paygate } from '@paygate/sdk';",
    '',
    `const paygate = Paygate.fromKeyFile('./${keyFileName(keyId)}');`,
    'const me = await paygate.me(); // { bpId, keyId, … }',
  ].join('\n');
}

export const LEAVE_WARNING = 'Your new private key is shown only once and is not saved yet. Leave this page and lose it?';

/** The one moment the private key exists outside the BP's servers: make saving it easy and explicit. */
export function PrivateKeyPanel({ keyId, privateKey, keyFile, onSaved }: PrivateKeyPanelProps) {
  const snippet = sdkSnippet(keyId);
  const ref = useRef<HTMLElement>(null);
  // Until "I have saved it", leaving the page would lose the only copy of the key.
  useLeaveGuard(true, LEAVE_WARNING);
  // The panel appears above whatever was clicked (often in a dialog that just closed); bring it
  // into view and move focus there so keyboard and screen reader users land on it too.
  useEffect(() => {
    ref.current?.focus();
    ref.current?.scrollIntoView({ block: 'start' });
  }, []);

  return (
    <section ref={ref} tabIndex={-1} className="panel panel-secret" aria-labelledby="private-key-title">
      <div className="panel-header">
        <h2 id="private-key-title">Save your private key</h2>
        <span className="badge badge-warning">Shown once</span>
      </div>
      <div className="alert alert-warning" role="status">
        <p>
          <strong>Paygate does not store the private key.</strong> This is the only time you can see it: download the key file or copy the key now and keep it
          in your secret store. If it is lost, refresh the KeyPair to get a new one.
        </p>
      </div>
      <ol className="secret-steps">
        <li>
          <h3 className="subheading">Download the key file</h3>
          <p className="muted">
            <code>{keyFileName(keyId)}</code> holds the key id, your Business Partner and the private key: the SDK loads it as is. Treat it like a password and
            keep it out of version control.
          </p>
          <div>
            <button type="button" className="btn btn-primary" onClick={() => downloadTextFile(keyFileName(keyId), keyFile, 'application/json')}>
              Download key file
            </button>
          </div>
        </li>
        <li>
          <h3 className="subheading">Load it with the SDK on your backend</h3>
          <div className="code-block">
            <pre>
              <code>{snippet}</code>
            </pre>
            <CopyButton text={snippet} />
          </div>
        </li>
        <li>
          <h3 className="subheading">Or configure the key yourself</h3>
          <TextAreaField
            label="Private key"
            hint={`PKCS#8 PEM of ${keyId}, for the SDK's constructor or another RFC 9421 client instead of the key file.`}
            value={privateKey}
            rows={3}
            className="field-code"
            onFocus={(event) => event.currentTarget.select()}
          />
          <div>
            <CopyButton text={privateKey} />
          </div>
        </li>
      </ol>
      <div className="panel-actions">
        <button type="button" className="btn btn-primary" onClick={onSaved}>
          I have saved it
        </button>
      </div>
    </section>
  );
}
