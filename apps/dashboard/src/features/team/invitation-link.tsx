import { CopyButton } from '../../ui/copy-button';
import type { CreatedInvitation } from './team-api';

/** The invitation link, shown once: the server keeps only a hash of its token. */
export function InvitationLink({ created, onDismiss }: { readonly created: CreatedInvitation; readonly onDismiss: () => void }) {
  return (
    <div className="callout callout-success" role="status">
      <p>
        <strong>Invitation created for {created.invitation.email}.</strong> Copy this link and send it to them — it is shown only once.
      </p>
      <div className="secret-row">
        <code className="secret-value" data-testid="invitation-url">
          {created.url}
        </code>
        <CopyButton text={created.url} label="Copy link" />
      </div>
      <button type="button" className="btn-link" onClick={onDismiss}>
        Done
      </button>
    </div>
  );
}
