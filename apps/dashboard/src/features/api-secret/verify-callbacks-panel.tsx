import { CopyButton } from '../../ui/copy-button';

const SNIPPET = [
  "import { verifyCallback } from '@paygate/sdk';",
  '',
  '// rawBody: the request body exactly as received — verify before parsing, never re-serialise.',
  'const { payload, webhookId } = verifyCallback({ rawBody, headers: req.headers, secret: process.env.PAYGATE_API_SECRET });',
  '// Credit idempotently by webhookId, then answer 2xx within your timeout.',
].join('\n');

interface SignedHeader {
  readonly name: string;
  readonly what: string;
}

/** The headers of docs/callbacks.md, in the order a verifier meets them. */
const HEADERS: readonly SignedHeader[] = [
  { name: 'Signature', what: 'Hex HMAC-SHA256 of the body, keyed with the whole secret string. Compatible with AkashicPay integrations.' },
  { name: 'webhook-id', what: 'The message id (msg_…), the same on every retry: de-duplicate on it.' },
  { name: 'webhook-timestamp', what: 'Unix seconds of this attempt; the SDK refuses callbacks more than 5 minutes off.' },
  { name: 'webhook-signature', what: 'Standard Webhooks: v1,<base64 HMAC-SHA256> per active secret, over id, timestamp and body.' },
  { name: 'Signature-Next', what: 'Only during a rotation: the Signature computed with the new secret.' },
];

/** Why the secret matters: every callback carries signatures made with it, and this is how to check them. */
export function VerifyCallbacksPanel() {
  return (
    <section className="panel" aria-labelledby="verify-callbacks-title">
      <div className="panel-header">
        <h2 id="verify-callbacks-title">Verify every callback</h2>
      </div>
      <p className="muted">
        Paygate signs each callback twice with the API secret, so both AkashicPay-style integrations and any Standard Webhooks library can check it. Refuse a
        callback whose signatures do not verify: anyone can send a request to your endpoint.
      </p>
      <dl className="signed-headers">
        {HEADERS.map((header) => (
          <div key={header.name}>
            <dt>
              <code>{header.name}</code>
            </dt>
            <dd>{header.what}</dd>
          </div>
        ))}
      </dl>
      <div className="code-block">
        <pre>
          <code>{SNIPPET}</code>
        </pre>
        <CopyButton text={SNIPPET} />
      </div>
    </section>
  );
}
