import { useCopy } from './use-copy';

const COPY_PATH = 'M9 9h10v11H9zM5 15V4h10';
const CHECK_PATH = 'M5 12.5l4.5 4.5L19 7.5';

/**
 * A clipboard icon for tight spots such as table cells; `label` names what it copies for screen
 * readers and as a tooltip, since the icon alone does not.
 */
export function CopyIconButton({ text, label }: { readonly text: string; readonly label: string }) {
  const { state, copy } = useCopy();
  const said = state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed — select and copy manually' : label;
  return (
    <button
      type="button"
      className={state === 'copied' ? 'copy-icon-button copied' : 'copy-icon-button'}
      onClick={() => void copy(text)}
      aria-label={said}
      title={said}
    >
      <svg
        viewBox="0 0 24 24"
        width="14"
        height="14"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
        aria-hidden="true"
      >
        <path d={state === 'copied' ? CHECK_PATH : COPY_PATH} />
      </svg>
    </button>
  );
}
