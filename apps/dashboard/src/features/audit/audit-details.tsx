/** Details are free-form per action; show them as compact key/value pairs rather than raw JSON. */
export function AuditDetails({ details }: { readonly details: Record<string, unknown> }) {
  const entries = Object.entries(details);
  if (entries.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="kv-list">
      {entries.map(([key, value]) => (
        <li key={key}>
          <span className="kv-key">{key}</span> <span className="kv-value">{typeof value === 'string' ? value : JSON.stringify(value)}</span>
        </li>
      ))}
    </ul>
  );
}
