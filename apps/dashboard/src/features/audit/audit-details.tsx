import type { ReactNode } from 'react';

/** "depositRequestTtlSeconds" → "deposit request TTL seconds": readable without a lookup table that would drift. */
function humanKey(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_.]/g, ' ')
    .toLowerCase();
  return words.replace(/\b(ttl|url|ip|id|ms)\b/g, (w) => w.toUpperCase());
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isChange(value: unknown): value is { from: unknown; to: unknown; kind?: unknown } {
  return isRecord(value) && 'from' in value && 'to' in value;
}

/** One value as text: a callback URL setting as "url (off)", lists comma-separated, nothing as "none". */
function show(value: unknown): ReactNode {
  if (value === null || value === undefined) return <span className="muted">none</span>;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string' || typeof value === 'number') return <span className="kv-value">{String(value)}</span>;
  if (Array.isArray(value))
    return value.length === 0 ? (
      <span className="muted">none</span>
    ) : (
      <span className="kv-value">{value.map((v) => (isRecord(v) ? JSON.stringify(v) : String(v))).join(', ')}</span>
    );
  if (isRecord(value) && 'url' in value && 'enabled' in value) {
    if (value.url === null) return <span className="muted">not set</span>;
    return (
      <span className="kv-value">
        {String(value.url)}
        {value.enabled === false && <span className="muted"> (off)</span>}
      </span>
    );
  }
  if (isRecord(value))
    return (
      <span className="kv-value">
        {Object.entries(value)
          .map(([k, v]) => `${humanKey(k)}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
          .join(', ')}
      </span>
    );
  return <span className="kv-value">{JSON.stringify(value)}</span>;
}

function Change({ label, from, to }: { readonly label: string | null; readonly from: unknown; readonly to: unknown }) {
  return (
    <li className="audit-change">
      {label !== null && <span className="kv-key">{label}: </span>}
      <span className="audit-before">{show(from)}</span>
      <span className="audit-arrow" aria-hidden="true">
        {' → '}
      </span>
      <span className="visually-hidden"> changed to </span>
      <span className="audit-after">{show(to)}</span>
    </li>
  );
}

/**
 * Details are free-form per action. Changes (`{from, to}`, or a `changes` list of them) read as
 * "before → after"; everything else as labelled values — never raw JSON.
 */
export function AuditDetails({ details }: { readonly details: Record<string, unknown> }) {
  const entries = Object.entries(details);
  if (entries.length === 0) return <span className="muted">—</span>;
  if (isChange(details)) {
    return (
      <ul className="kv-list" data-testid="audit-details">
        <Change label={null} from={details.from} to={details.to} />
      </ul>
    );
  }
  return (
    <ul className="kv-list" data-testid="audit-details">
      {entries.flatMap(([key, value]) => {
        if (isChange(value)) return [<Change key={key} label={humanKey(key)} from={value.from} to={value.to} />];
        if (key === 'changes' && Array.isArray(value) && value.every((c) => isChange(c)))
          return value.map((c, i) => <Change key={`${key}-${String(i)}`} label={typeof c.kind === 'string' ? c.kind : null} from={c.from} to={c.to} />);
        return [
          <li key={key}>
            <span className="kv-key">{humanKey(key)}: </span>
            {show(value)}
          </li>,
        ];
      })}
    </ul>
  );
}
