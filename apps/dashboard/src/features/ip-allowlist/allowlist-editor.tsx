import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { isApiError } from '../../app/api-error';
import { ProblemAlert } from '../../ui/problem-alert';
import { useReauth } from '../auth/reauth/reauth-context';
import { notificationsKey } from '../notifications/notifications-api';
import { AddRangeForm } from './add-range-form';
import { AllowedRangesTable } from './allowed-ranges-table';
import { type DraftEntry, draftDiffers, draftFrom, sameRange } from './draft-entry';
import { EntryProblem } from './entry-problem';
import { type IpAllowlist, ipAllowlistApi, ipAllowlistKey } from './ip-allowlist-api';

interface AllowlistEditorProps {
  readonly bpId: string;
  readonly allowlist: IpAllowlist;
  readonly canManage: boolean;
}

/**
 * Edits a copy of the list and saves it whole, as the API replaces it whole. The copy starts from
 * the list as loaded; background refetches do not overwrite edits in progress.
 */
export function AllowlistEditor({ bpId, allowlist, canManage }: AllowlistEditorProps) {
  const client = useQueryClient();
  const withReauth = useReauth();
  const [draft, setDraft] = useState<DraftEntry[]>(() => draftFrom(allowlist.entries));
  const [justSaved, setJustSaved] = useState(false);

  const save = useMutation({
    mutationFn: () =>
      withReauth(() =>
        ipAllowlistApi.replace(
          bpId,
          draft.map((entry) => ({ cidr: entry.cidr, ...(entry.label === '' ? {} : { label: entry.label }) })),
        ),
      ),
    onSuccess: async (saved) => {
      client.setQueryData(ipAllowlistKey(bpId), saved);
      setDraft(draftFrom(saved.entries));
      setJustSaved(true);
      // The change is announced to the team.
      await client.invalidateQueries({ queryKey: notificationsKey(bpId) });
    },
  });

  function edit(next: DraftEntry[]) {
    setDraft(next);
    setJustSaved(false);
    save.reset();
  }

  const dirty = draftDiffers(draft, allowlist.entries);
  const entryError = isApiError(save.error, 'ip_entry_invalid') ? save.error : null;

  return (
    <section className="panel panel-flush" aria-labelledby="allowed-ranges-title">
      <div className="panel-header">
        <h2 id="allowed-ranges-title">Allowed IP ranges</h2>
        <span className="muted">{allowlist.entries.length === 0 ? 'Any address allowed' : `${allowlist.entries.length} saved`}</span>
      </div>
      <AllowedRangesTable
        draft={draft}
        invalidEntry={entryError?.extraText('entry')}
        busy={save.isPending}
        {...(canManage ? { onRemove: (cidr: string) => edit(draft.filter((entry) => entry.cidr !== cidr)) } : {})}
      />
      {canManage ? (
        <>
          <div className="panel-body panel-section">
            <AddRangeForm draft={draft} yourIp={allowlist.yourIp} busy={save.isPending} onAdd={(entry) => edit([...draft, { ...entry, saved: null }])} />
            {entryError !== null ? (
              <EntryProblem
                error={entryError}
                onUseSuggestion={(entry, suggestion) => edit(draft.map((row) => (sameRange(row.cidr, entry) ? { ...row, cidr: suggestion } : row)))}
              />
            ) : (
              <ProblemAlert error={save.error} />
            )}
          </div>
          <div className="panel-footer footer-actions">
            <p className="muted" role="status">
              {dirty
                ? 'Unsaved changes. Saving replaces the whole list.'
                : justSaved
                  ? 'Saved. Every Paygate server applies the list within seconds.'
                  : 'Applies to signed API requests only; the dashboard is not affected.'}
            </p>
            <div className="inline-form-actions">
              {dirty && (
                <button type="button" className="btn" onClick={() => edit(draftFrom(allowlist.entries))} disabled={save.isPending}>
                  Discard
                </button>
              )}
              <button type="button" className="btn btn-primary" onClick={() => save.mutate()} disabled={!dirty || save.isPending}>
                {save.isPending ? 'Saving…' : 'Save changes'}
              </button>
            </div>
          </div>
        </>
      ) : (
        <p className="muted panel-footer">Only admins and owners can change the allowlist.</p>
      )}
    </section>
  );
}
