import { type TextareaHTMLAttributes, useId } from 'react';

type NativeTextAreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'value' | 'onChange' | 'aria-describedby' | 'aria-invalid'>;

interface TextAreaFieldProps extends NativeTextAreaProps {
  readonly label: string;
  readonly value: string;
  /** Leave out for read-only text (keys, snippets) that is there to be selected and copied. */
  readonly onChange?: (value: string) => void;
  readonly hint?: string;
  readonly error?: string | undefined;
}

/** The multi-line sibling of TextField: labelled, with its hint and error announced with it. */
export function TextAreaField({ label, value, onChange, hint, error, className, ...textarea }: TextAreaFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint === undefined ? null : hintId, error === undefined ? null : errorId].filter((v) => v !== null).join(' ');
  return (
    <div className={className === undefined ? 'field' : `field ${className}`}>
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        value={value}
        readOnly={onChange === undefined}
        onChange={onChange === undefined ? undefined : (event) => onChange(event.target.value)}
        aria-invalid={error === undefined ? undefined : true}
        aria-describedby={describedBy === '' ? undefined : describedBy}
        spellCheck={false}
        {...textarea}
      />
      {hint !== undefined && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {error !== undefined && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
