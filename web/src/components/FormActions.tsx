import type { ReactNode } from 'react';

interface FormActionsProps {
  /** The submit button's text. */
  readonly submit: ReactNode;
  readonly busy: boolean;
  readonly onCancel: () => void;
}

/** A form's submit button and its Cancel button, both disabled while busy. */
export function FormActions({ submit, busy, onCancel }: FormActionsProps) {
  return (
    <div className="actions">
      <button type="submit" disabled={busy}>
        {submit}
      </button>
      <button type="button" className="secondary" onClick={onCancel} disabled={busy}>
        Cancel
      </button>
    </div>
  );
}
