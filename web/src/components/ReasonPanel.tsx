import { useId, useState, type FormEvent } from 'react';
import { ErrorMessage } from './ErrorMessage';

interface ReasonPanelProps {
  readonly title: string;
  readonly description?: string;
  readonly confirmLabel: string;
  readonly reasonLabel?: string;
  /** Without a reason the action is refused (cancel, block). */
  readonly reasonRequired?: boolean;
  readonly danger?: boolean;
  readonly onConfirm: (reason: string) => Promise<void>;
  readonly onClose: () => void;
}

/** An inline confirmation that asks why, for actions that need a reason. */
export function ReasonPanel({
  title,
  description,
  confirmLabel,
  reasonLabel = 'Reason',
  reasonRequired = true,
  danger = true,
  onConfirm,
  onClose,
}: ReasonPanelProps) {
  const id = useId();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onConfirm(reason.trim());
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="confirm card card-highlight" role="group" aria-labelledby={`${id}-title`} onSubmit={(event) => void onSubmit(event)}>
      <h2 id={`${id}-title`}>{title}</h2>
      {description === undefined ? null : <p>{description}</p>}
      <div className="field">
        <label htmlFor={`${id}-reason`}>{reasonLabel}</label>
        <textarea
          id={`${id}-reason`}
          rows={2}
          maxLength={500}
          required={reasonRequired}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          autoFocus
        />
      </div>
      <ErrorMessage error={error} />
      <div className="actions">
        <button type="submit" className={danger ? 'danger' : undefined} disabled={busy}>
          {confirmLabel}
        </button>
        <button type="button" className="secondary" onClick={onClose} disabled={busy}>
          Back
        </button>
      </div>
    </form>
  );
}
