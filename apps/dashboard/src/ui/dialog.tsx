import { type ReactNode, useEffect, useId, useRef } from 'react';

interface DialogProps {
  readonly title: string;
  readonly description?: string;
  readonly onClose: () => void;
  readonly children: ReactNode;
  /** For dialogs that show records rather than ask a question. */
  readonly wide?: boolean;
}

/**
 * A modal built on the native <dialog>: the browser traps focus, handles Escape and makes the
 * rest of the page inert, which is hard to get right by hand.
 */
export function Dialog({ title, description, onClose, children, wide = false }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog !== null && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  return (
    <dialog
      ref={ref}
      className={wide ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby={titleId}
      aria-describedby={description === undefined ? undefined : descriptionId}
      onCancel={(event) => {
        // Let React decide when the dialog goes away, so state and DOM stay in step.
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId} className="dialog-title">
        {title}
      </h2>
      {description !== undefined && (
        <p id={descriptionId} className="muted">
          {description}
        </p>
      )}
      {children}
    </dialog>
  );
}
