import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { fieldError } from '../../app/api-error';
import { ProblemAlert } from '../../ui/problem-alert';
import { SelectField } from '../../ui/select-field';
import { TextField } from '../../ui/text-field';
import { useActiveBp } from '../auth/current-session';
import { useReauth } from '../auth/reauth/reauth-context';
import { INVITABLE_ROLES, ROLE_LABELS } from '../auth/roles';
import type { Role } from '../auth/session-types';
import { InvitationLink } from './invitation-link';
import { type CreatedInvitation, teamApi, teamKeys } from './team-api';

const ROLE_OPTIONS = INVITABLE_ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }));

function isInvitableRole(value: string): value is Role {
  return (INVITABLE_ROLES as readonly string[]).includes(value);
}

export function InviteForm() {
  const bp = useActiveBp();
  const client = useQueryClient();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('developer');
  const [created, setCreated] = useState<CreatedInvitation | null>(null);
  const withReauth = useReauth();
  const invite = useMutation({
    // Inviting is sensitive: once the log-in is no longer recent the server asks to confirm identity.
    mutationFn: () => withReauth(() => teamApi.invite(bp.bpId, email.trim(), role)),
    onSuccess: async (result) => {
      setCreated(result);
      setEmail('');
      await client.invalidateQueries({ queryKey: teamKeys.invitations(bp.bpId) });
    },
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setCreated(null);
    invite.mutate();
  }

  return (
    <section className="panel" aria-labelledby="invite-title">
      <div className="panel-header">
        <h2 id="invite-title">Invite member</h2>
      </div>
      <p className="muted">Creates a link valid for one person. Anyone with the link and that e-mail address can join {bp.bpName}.</p>
      <form onSubmit={submit} className="invite-form">
        <TextField
          label="Email address"
          type="email"
          autoComplete="off"
          placeholder="teammate@example.com"
          value={email}
          onChange={setEmail}
          error={fieldError(invite.error, 'email')}
          required
        />
        <SelectField
          label="Role"
          value={role}
          options={ROLE_OPTIONS}
          onChange={(next) => {
            if (isInvitableRole(next)) setRole(next);
          }}
        />
        <button type="submit" className="btn btn-primary" disabled={invite.isPending}>
          {invite.isPending ? 'Creating…' : 'Create invitation link'}
        </button>
      </form>
      <ProblemAlert error={invite.error} fields={['email']} />
      {created !== null && <InvitationLink created={created} onDismiss={() => setCreated(null)} />}
    </section>
  );
}
