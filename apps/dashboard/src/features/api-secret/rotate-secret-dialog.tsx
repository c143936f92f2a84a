import { type FormEvent, useId, useState } from 'react';
import { Dialog } from '../../ui/dialog';
import { formatDateTime } from '../../ui/format';
import { ProblemAlert } from '../../ui/problem-alert';
import type { ApiSecret } from './api-secret-api';
import type { IssuedSecret } from './issued-secret';
import { DEFAULT_OVERLAP_SECONDS, OVERLAP_OPTIONS } from './overlap-options';
import { RotationEffects } from './rotation-effects';
import { useRotateSecret } from './use-rotate-secret';

interface RotateSecretDialogProps {
  readonly bpId: string;
  readonly secrets: readonly ApiSecret[];
  readonly onRotated: (issued: IssuedSecret) => void;
  readonly onClose: () => void;
}

/**
 * Rotating changes what every callback is signed with, so the user picks the overlap, reads what
 * it does to each header, and says they understand before the button works.
 */
export function RotateSecretDialog({ bpId, secrets, onRotated, onClose }: RotateSecretDialogProps) {
  const name = useId();
  const [overlapSeconds, setOverlapSeconds] = useState(DEFAULT_OVERLAP_SECONDS);
  const [understood, setUnderstood] = useState(false);
  const rotate = useRotateSecret(bpId, (issued) => {
    onRotated(issued);
    onClose();
  });
  // Shown as an estimate; the server fixes the cut-over when it rotates.
  const cutover = new Date(Date.now() + overlapSeconds * 1000).toISOString();
  // An overlap never extends a secret that was already ending sooner (a rotation under way).
  const ending = secrets.filter((s) => s.expiresAt !== null && s.expiresAt < cutover);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    rotate.mutate(overlapSeconds);
  }

  return (
    <Dialog
      title="Rotate the API secret?"
      description="Paygate creates a new secret and shows it once. Choose how long the current secret keeps signing, so your backend can switch without refusing callbacks."
      onClose={onClose}
      wide
    >
      <form onSubmit={submit} className="stack">
        <fieldset className="overlap-choice">
          <legend>Overlap</legend>
          <div className="overlap-options">
            {OVERLAP_OPTIONS.map((option) => (
              <label key={option.seconds} className={option.seconds === overlapSeconds ? 'overlap-option selected' : 'overlap-option'}>
                <input
                  type="radio"
                  name={name}
                  value={option.seconds}
                  checked={option.seconds === overlapSeconds}
                  onChange={() => {
                    setOverlapSeconds(option.seconds);
                    // The consequences differ per choice, so the confirmation has to be given again.
                    setUnderstood(false);
                  }}
                />
                <span>{option.label}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <RotationEffects overlapSeconds={overlapSeconds} cutover={cutover} />
        {ending.length > 0 && (
          <p className="muted">
            A rotation is already under way: the previous secret still stops signing at {formatDateTime(ending[0]?.expiresAt ?? cutover)}, as planned.
          </p>
        )}
        <label className="checkbox-field">
          <input type="checkbox" checked={understood} onChange={(event) => setUnderstood(event.target.checked)} />
          <span>
            {overlapSeconds === 0
              ? 'I understand that callbacks are signed with the new secret only, from now on, and my backend must use it at once.'
              : `I understand that my backend must verify callbacks with the new secret before ${formatDateTime(cutover)}.`}
          </span>
        </label>
        <ProblemAlert error={rotate.error} />
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className={overlapSeconds === 0 ? 'btn btn-danger' : 'btn btn-primary'} disabled={!understood || rotate.isPending}>
            {rotate.isPending ? 'Rotating…' : 'Rotate secret'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
