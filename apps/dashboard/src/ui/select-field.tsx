import { type SelectHTMLAttributes, useId } from 'react';

type NativeSelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'value' | 'onChange'>;

export interface SelectOption {
  readonly value: string;
  readonly label: string;
}

interface SelectFieldProps extends NativeSelectProps {
  readonly label: string;
  readonly value: string;
  readonly options: readonly SelectOption[];
  readonly onChange: (value: string) => void;
  /** Keep the label for screen readers only, e.g. inside a table row that already names the context. */
  readonly hideLabel?: boolean;
}

export function SelectField({ label, value, options, onChange, hideLabel = false, className, ...select }: SelectFieldProps) {
  const id = useId();
  return (
    <div className={className === undefined ? 'field' : `field ${className}`}>
      <label htmlFor={id} className={hideLabel ? 'visually-hidden' : undefined}>
        {label}
      </label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)} {...select}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
