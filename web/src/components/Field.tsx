import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

interface BaseFieldProps {
  readonly label: string;
  readonly value: string;
  readonly onChange?: (value: string) => void;
  readonly error?: string | undefined;
  readonly hint?: string;
}

/** The attributes every field's control gets: its id, value, change handler and screen-reader ties. */
interface ControlProps {
  readonly id: string;
  readonly value: string;
  readonly onChange: (event: { readonly target: { readonly value: string } }) => void;
  readonly 'aria-invalid': true | undefined;
  readonly 'aria-describedby': string | undefined;
}

interface FieldShellProps extends BaseFieldProps {
  readonly className: string | undefined;
  readonly control: (props: ControlProps) => ReactNode;
}

/** The label, hint and error around one control, tied together for screen readers. */
function FieldShell({ label, value, onChange, error, hint, className, control }: FieldShellProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint === undefined ? null : hintId, error === undefined ? null : errorId].filter(Boolean).join(' ');
  return (
    <div className={['field', error === undefined ? '' : 'field-invalid', className ?? ''].join(' ').trim()}>
      <label htmlFor={id}>{label}</label>
      {control({
        id,
        value,
        onChange: (event) => onChange?.(event.target.value),
        'aria-invalid': error === undefined ? undefined : true,
        'aria-describedby': describedBy === '' ? undefined : describedBy,
      })}
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

interface FieldProps extends BaseFieldProps, Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value' | 'id'> {}

/** A labelled text input with its hint and error message tied to it for screen readers. */
export function Field({ label, value, onChange, error, hint, className, ...inputProps }: FieldProps) {
  return (
    <FieldShell
      {...{ label, value, onChange, error, hint, className }}
      control={(control) => <input {...control} {...inputProps} />}
    />
  );
}

interface SelectFieldProps extends BaseFieldProps, Omit<SelectHTMLAttributes<HTMLSelectElement>, 'onChange' | 'value' | 'id'> {
  readonly children: ReactNode;
}

/** A labelled select with its hint and error tied to it, like Field. */
export function SelectField({ label, value, onChange, error, hint, className, children, ...selectProps }: SelectFieldProps) {
  return (
    <FieldShell
      {...{ label, value, onChange, error, hint, className }}
      control={(control) => (
        <select {...control} {...selectProps}>
          {children}
        </select>
      )}
    />
  );
}

interface TextAreaFieldProps extends BaseFieldProps, Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'onChange' | 'value' | 'id'> {}

/** A labelled multi-line text input. */
export function TextAreaField({ label, value, onChange, error, hint, className, ...areaProps }: TextAreaFieldProps) {
  return (
    <FieldShell
      {...{ label, value, onChange, error, hint, className }}
      control={(control) => <textarea {...control} rows={3} {...areaProps} />}
    />
  );
}
