import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value' | 'id'> {
  readonly label: string;
  readonly value: string;
  readonly onChange?: (value: string) => void;
  readonly error?: string | undefined;
  readonly hint?: string;
}

/** A labelled text input with its hint and error message tied to it for screen readers. */
export function Field({ label, value, onChange, error, hint, className, ...inputProps }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint === undefined ? null : hintId, error === undefined ? null : errorId].filter(Boolean).join(' ');
  return (
    <div className={['field', error === undefined ? '' : 'field-invalid', className ?? ''].join(' ').trim()}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={value}
        onChange={(event) => onChange?.(event.target.value)}
        aria-invalid={error === undefined ? undefined : true}
        aria-describedby={describedBy === '' ? undefined : describedBy}
        {...inputProps}
      />
      {hint === undefined ? null : (
        <small id={hintId} className="field-hint">
          {hint}
        </small>
      )}
      {error === undefined ? null : (
        <small id={errorId} className="field-error">
          {error}
        </small>
      )}
    </div>
  );
}

interface SelectFieldProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'onChange' | 'value' | 'id'> {
  readonly label: string;
  readonly value: string;
  readonly onChange?: (value: string) => void;
  readonly error?: string | undefined;
  readonly hint?: string;
  readonly children: ReactNode;
}

/** A labelled select with its hint and error tied to it, like Field. */
export function SelectField({ label, value, onChange, error, hint, className, children, ...selectProps }: SelectFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint === undefined ? null : hintId, error === undefined ? null : errorId].filter(Boolean).join(' ');
  return (
    <div className={['field', error === undefined ? '' : 'field-invalid', className ?? ''].join(' ').trim()}>
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        onChange={(event) => onChange?.(event.target.value)}
        aria-invalid={error === undefined ? undefined : true}
        aria-describedby={describedBy === '' ? undefined : describedBy}
        {...selectProps}
      >
        {children}
      </select>
      {hint === undefined ? null : (
        <small id={hintId} className="field-hint">
          {hint}
        </small>
      )}
      {error === undefined ? null : (
        <small id={errorId} className="field-error">
          {error}
        </small>
      )}
    </div>
  );
}

interface TextAreaFieldProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'onChange' | 'value' | 'id'> {
  readonly label: string;
  readonly value: string;
  readonly onChange?: (value: string) => void;
  readonly error?: string | undefined;
  readonly hint?: string;
}

/** A labelled multi-line text input. */
export function TextAreaField({ label, value, onChange, error, hint, className, ...areaProps }: TextAreaFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint === undefined ? null : hintId, error === undefined ? null : errorId].filter(Boolean).join(' ');
  return (
    <div className={['field', error === undefined ? '' : 'field-invalid', className ?? ''].join(' ').trim()}>
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        value={value}
        onChange={(event) => onChange?.(event.target.value)}
        aria-invalid={error === undefined ? undefined : true}
        aria-describedby={describedBy === '' ? undefined : describedBy}
        rows={3}
        {...areaProps}
      />
      {hint === undefined ? null : (
        <small id={hintId} className="field-hint">
          {hint}
        </small>
      )}
      {error === undefined ? null : (
        <small id={errorId} className="field-error">
          {error}
        </small>
      )}
    </div>
  );
}
