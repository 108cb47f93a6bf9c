import { ApiError, fieldName } from '../api';

interface ErrorMessageProps {
  readonly error: unknown;
  /** Field errors shown next to their fields; the others are listed here. */
  readonly shownFields?: readonly string[];
}

/** A refusal or failure as the person should read it. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    switch (error.code) {
      case 'O2C_FORBIDDEN':
        return `Your roles do not allow this. (${error.detail})`;
      case 'O2C_VERSION_CONFLICT':
        return 'Someone else changed this in the meantime. Reload to see their change, then apply yours again.';
      default:
        return sentence(error.detail);
    }
  }
  return error instanceof Error ? error.message : String(error);
}

function sentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return 'Something went wrong.';
  const capitalised = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

export function ErrorMessage({ error, shownFields = [] }: ErrorMessageProps) {
  if (error === null || error === undefined) return null;
  const otherFields = error instanceof ApiError ? error.fieldErrors.filter((issue) => !shownFields.includes(fieldName(issue.path))) : [];
  const fieldsShown = error instanceof ApiError && error.fieldErrors.length > otherFields.length;
  return (
    <div className="message message-error" role="alert">
      <p>{fieldsShown && otherFields.length === 0 ? 'Please correct the marked fields.' : describeError(error)}</p>
      {otherFields.length === 0 ? null : (
        <ul>
          {otherFields.map((issue) => (
            <li key={`${issue.path}:${issue.message}`}>
              {fieldName(issue.path)}: {issue.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
