import { useCopy } from './use-copy';

/** Copies `text`; says so for a moment. Falls back to a message when the clipboard is blocked. */
export function CopyButton({ text, label = 'Copy' }: { readonly text: string; readonly label?: string }) {
  const { state, copy } = useCopy();
  return (
    <button type="button" className="btn btn-small" onClick={() => void copy(text)}>
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed — select and copy manually' : label}
    </button>
  );
}
