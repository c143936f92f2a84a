/** Header values as received: undici gives arrays for repeated headers. */
function text(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => String(v)).join(', ');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** HTTP headers, names in monospace, long values (signatures) wrapped anywhere. */
export function HeadersList({ headers }: { readonly headers: Readonly<Record<string, unknown>> }) {
  // Stored headers come back in the database's key order; alphabetical is easier to scan.
  const entries = Object.entries(headers).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <p className="muted">No headers.</p>;
  return (
    <dl className="headers-list">
      {entries.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>{text(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
