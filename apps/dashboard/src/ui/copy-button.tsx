import { useEffect, useState } from 'react';

/** Copies `text`; says so for a moment. Falls back to a message when the clipboard is blocked. */
export function CopyButton({ text, label = 'Copy' }: { readonly text: string; readonly label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');

  useEffect(() => {
    if (state === 'idle') return;
    const timer = window.setTimeout(() => setState('idle'), 2000);
    return () => window.clearTimeout(timer);
  }, [state]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch (_error: unknown) {
      // Clipboard access needs a secure context and permission; the text stays selectable.
      setState('failed');
    }
  }

  return (
    <button type="button" className="btn btn-small" onClick={() => void copy()}>
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed — select and copy manually' : label}
    </button>
  );
}
