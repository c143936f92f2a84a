import { ProblemAlert } from './problem-alert';

export function FullPageLoading() {
  return (
    <div className="full-page-status" aria-busy="true">
      <p className="muted">Loading…</p>
    </div>
  );
}

export function FullPageError({ error, onRetry }: { readonly error: unknown; readonly onRetry: () => void }) {
  return (
    <div className="full-page-status">
      <div className="panel narrow">
        <h1>The dashboard could not load</h1>
        <ProblemAlert error={error} />
        <button type="button" className="btn btn-primary" onClick={onRetry}>
          Try again
        </button>
      </div>
    </div>
  );
}
