import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { fieldError, isApiError } from '../../app/api-error';
import { ProblemAlert } from '../../ui/problem-alert';
import { TextField } from '../../ui/text-field';
import { useReauth } from '../auth/reauth/reauth-context';
import { notificationsKey } from '../notifications/notifications-api';
import { CallbackCurrencies } from './callback-currencies';
import { type CallbackDraft, draftDiffers, draftFrom, inputFrom, MAX_TIMEOUT_SECONDS, MIN_TIMEOUT_SECONDS, timeoutMsOf } from './callback-draft';
import { CALLBACK_KINDS } from './callback-kinds';
import { type CallbackSettings, callbackSettingsApi, callbackSettingsKey } from './callback-settings-api';
import { CallbackUrlRow } from './callback-url-row';

interface CallbackSettingsFormProps {
  readonly bpId: string;
  readonly settings: CallbackSettings;
  readonly canManage: boolean;
}

/** Fields the form shows the server's complaints next to, so the alert does not repeat them. */
const FIELDS = ['timeoutMs', ...CALLBACK_KINDS.map(({ kind }) => `urls.${kind}.url`)];

/**
 * Edits a copy of the settings and saves the whole form at once. The copy starts from the
 * settings as loaded; background refetches do not overwrite edits in progress.
 */
export function CallbackSettingsForm({ bpId, settings, canManage }: CallbackSettingsFormProps) {
  const client = useQueryClient();
  const withReauth = useReauth();
  const [draft, setDraft] = useState<CallbackDraft>(() => draftFrom(settings));
  const [timeoutError, setTimeoutError] = useState<string | undefined>(undefined);
  const [justSaved, setJustSaved] = useState(false);

  const save = useMutation({
    mutationFn: (timeoutMs: number) => withReauth(() => callbackSettingsApi.update(bpId, inputFrom(draft, timeoutMs))),
    onSuccess: async (saved) => {
      client.setQueryData(callbackSettingsKey(bpId), saved);
      setDraft(draftFrom(saved));
      setJustSaved(true);
      // Changed URLs are announced to the team.
      await client.invalidateQueries({ queryKey: notificationsKey(bpId) });
    },
  });

  function edit(next: CallbackDraft) {
    setDraft(next);
    setJustSaved(false);
    setTimeoutError(undefined);
    save.reset();
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const timeoutMs = timeoutMsOf(draft);
    if (timeoutMs === null) {
      setTimeoutError(`A whole number of seconds from ${MIN_TIMEOUT_SECONDS} to ${MAX_TIMEOUT_SECONDS}.`);
      return;
    }
    save.mutate(timeoutMs);
  }

  const dirty = draftDiffers(draft, settings);
  const enabledCount = CALLBACK_KINDS.filter(({ kind }) => settings.urls[kind].url !== null && settings.urls[kind].enabled).length;
  const urlRefused = isApiError(save.error, 'callback_url_invalid');

  return (
    <form onSubmit={submit} className="panel panel-flush" aria-labelledby="callback-endpoints-title" noValidate>
      <div className="panel-header">
        <h2 id="callback-endpoints-title">Callback endpoints</h2>
        <span className="muted">{enabledCount === 0 ? 'No callbacks are sent yet' : `${enabledCount} of ${CALLBACK_KINDS.length} kinds on`}</span>
      </div>
      <div className="panel-body callback-intro">
        <p className="muted">
          Paygate sends a signed <code>POST</code> with a JSON body to the URL of each kind as it happens. An unset or switched-off URL means no callbacks of
          that kind.
        </p>
        <CallbackCurrencies />
      </div>
      <div className="callback-rows">
        <div className="callback-rows-head" aria-hidden="true">
          <span>Kind</span>
          <span>Endpoint URL</span>
          <span>Send</span>
        </div>
        {CALLBACK_KINDS.map((info) => (
          <CallbackUrlRow
            key={info.kind}
            info={info}
            url={draft.urls[info.kind].url}
            enabled={draft.urls[info.kind].enabled}
            error={fieldError(save.error, `urls.${info.kind}.url`)}
            readOnly={!canManage || save.isPending}
            onChange={(row) => edit({ ...draft, urls: { ...draft.urls, [info.kind]: row } })}
          />
        ))}
      </div>
      <div className="panel-body panel-section">
        <TextField
          label="Timeout (seconds)"
          hint="How long Paygate waits for a 2xx answer on each attempt, 1–30 s (default 5). A slower answer counts as failed and is retried, so answer first and do slow work afterwards."
          type="number"
          inputMode="numeric"
          min={MIN_TIMEOUT_SECONDS}
          max={MAX_TIMEOUT_SECONDS}
          step={1}
          className="callback-timeout"
          value={draft.timeoutSeconds}
          readOnly={!canManage || save.isPending}
          onChange={(timeoutSeconds) => edit({ ...draft, timeoutSeconds })}
          error={timeoutError ?? fieldError(save.error, 'timeoutMs')}
        />
      </div>
      {/* A refused URL is explained next to its field; other problems (and their request id) here. */}
      {!urlRefused && <ProblemAlert error={save.error} fields={FIELDS} />}
      {canManage ? (
        <div className="panel-footer footer-actions">
          <p className={urlRefused ? 'field-error' : 'muted'} role="status">
            {urlRefused
              ? 'Not saved: fix the highlighted URL.'
              : dirty
                ? 'Unsaved changes. Saving replaces all six URLs and the timeout.'
                : justSaved
                  ? 'Saved. Callbacks created from now on use these settings.'
                  : 'Callbacks already queued keep the URL they were created with.'}
          </p>
          <div className="inline-form-actions">
            {dirty && (
              <button type="button" className="btn" onClick={() => edit(draftFrom(settings))} disabled={save.isPending}>
                Discard
              </button>
            )}
            <button type="submit" className="btn btn-primary" disabled={!dirty || save.isPending}>
              {save.isPending ? 'Saving…' : 'Save changes'}
            </button>
          </div>
        </div>
      ) : (
        <p className="muted panel-footer">Only admins and owners can change callback URLs.</p>
      )}
    </form>
  );
}
