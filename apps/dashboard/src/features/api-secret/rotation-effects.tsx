import { formatDateTime } from '../../ui/format';

interface RotationEffectsProps {
  readonly overlapSeconds: number;
  /** When the current secret would stop signing, as an ISO instant. */
  readonly cutover: string;
}

/** What each signature header carries during the overlap: "During a secret rotation" in docs/callbacks.md. */
export function RotationEffects({ overlapSeconds, cutover }: RotationEffectsProps) {
  if (overlapSeconds === 0) {
    return (
      <div className="alert alert-warning" data-testid="rotation-effects">
        <p>
          <strong>No overlap:</strong> the current secret stops signing at once. From the next attempt on, <code>Signature</code> and{' '}
          <code>webhook-signature</code> are computed with the new secret only. Callbacks your backend refuses meanwhile fail and are retried on the usual
          schedule, so they arrive once it uses the new secret.
        </p>
      </div>
    );
  }
  return (
    <div className="rotation-effects" data-testid="rotation-effects">
      <p>
        Until about <strong>{formatDateTime(cutover)}</strong> both secrets are active:
      </p>
      <ul>
        <li>
          <code>webhook-signature</code> carries one <code>v1,</code> entry per secret. A Standard Webhooks verifier configured with <em>either</em> secret
          accepts the callback, so switch whenever you like before the end.
        </li>
        <li>
          <code>Signature</code> stays computed with the <em>current</em> secret, and <code>Signature-Next</code> carries the new one. An AkashicPay-style
          verifier keeps working unchanged until the cut-over; to switch early, verify <code>Signature-Next</code> with the new secret. The SDK’s{' '}
          <code>verifyCallback</code> checks both.
        </li>
        <li>
          At the cut-over only the new secret signs and <code>Signature-Next</code> disappears.
        </li>
      </ul>
    </div>
  );
}
