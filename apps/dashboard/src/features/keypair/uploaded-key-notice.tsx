import { CopyButton } from '../../ui/copy-button';

function sdkSnippet(keyId: string): string {
  return [
    "import { readFileSync } from 'node:fs';",
    "import { Paygate } from '@paygate/sdk';",
    '',
    'const paygate = new Paygate({',
    `  baseUrl: '${window.location.origin}',`,
    `  keyId: '${keyId}',`,
    "  privateKey: readFileSync('paygate-private.pem', 'utf8'),",
    '});',
    'await paygate.me();',
  ].join('\n');
}

/** After an upload there is no secret to save, but the backend still needs the new key id. */
export function UploadedKeyNotice({ keyId, onDismiss }: { readonly keyId: string; readonly onDismiss: () => void }) {
  const snippet = sdkSnippet(keyId);
  return (
    <div className="callout callout-success" role="status">
      <p>
        <strong>Your public key is registered as {keyId}.</strong> Configure your backend with this key id and the private key you kept:
      </p>
      <div className="code-block">
        <pre>
          <code>{snippet}</code>
        </pre>
        <CopyButton text={snippet} />
      </div>
      <button type="button" className="btn-link" onClick={onDismiss}>
        Done
      </button>
    </div>
  );
}
