import { useId } from 'react';
import { TextField } from '../../ui/text-field';
import type { CallbackKindInfo } from './callback-kinds';

interface CallbackUrlRowProps {
  readonly info: CallbackKindInfo;
  readonly url: string;
  readonly enabled: boolean;
  readonly error: string | undefined;
  /** Developers see the settings but cannot change them. */
  readonly readOnly: boolean;
  readonly onChange: (next: { url: string; enabled: boolean }) => void;
}

/** One kind: its URL and whether callbacks of that kind are sent. */
export function CallbackUrlRow({ info, url, enabled, error, readOnly, onChange }: CallbackUrlRowProps) {
  const titleId = useId();
  const hasUrl = url.trim() !== '';
  const on = hasUrl && enabled;
  return (
    <fieldset className={on ? 'callback-row' : 'callback-row callback-row-off'} aria-labelledby={titleId} data-testid={`callback-row-${info.kind}`}>
      <div className="callback-row-kind">
        <div className="callback-row-title">
          <span id={titleId} className="callback-row-label">
            {info.label}
          </span>
          <code className="callback-chip">{info.kind}</code>
        </div>
        <span className="cell-secondary">{info.description}</span>
      </div>
      <TextField
        label={`${info.label} URL`}
        hideLabel
        className="callback-row-url"
        type="text"
        inputMode="url"
        placeholder={`https://example.com/paygate/${info.kind}`}
        autoComplete="off"
        spellCheck={false}
        maxLength={2048}
        value={url}
        readOnly={readOnly}
        error={error}
        // Typing a URL into an empty row switches it on, as the server does for a new URL.
        onChange={(next) => onChange({ url: next, enabled: next.trim() === '' ? false : hasUrl ? enabled : true })}
      />
      <label className="switch callback-row-switch" title={hasUrl ? undefined : 'Enter a URL first'}>
        <input
          type="checkbox"
          role="switch"
          aria-label={`Send ${info.label.toLowerCase()} callbacks`}
          aria-checked={on}
          checked={on}
          disabled={readOnly || !hasUrl}
          onChange={(event) => onChange({ url, enabled: event.target.checked })}
        />
        <span className="switch-track" aria-hidden="true" />
        <span aria-hidden="true">{on ? 'On' : 'Off'}</span>
      </label>
    </fieldset>
  );
}
