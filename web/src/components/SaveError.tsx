import { ApiError } from '../api';
import { ErrorMessage } from './ErrorMessage';

interface SaveErrorProps {
  readonly error: unknown;
  /** Field errors shown next to their fields. */
  readonly shownFields?: readonly string[];
  /** Reloads the record after a version conflict (409). */
  readonly onReload?: () => void;
  readonly noun?: string;
}

/** The refusal of a save; a version conflict offers to reload. */
export function SaveError({ error, shownFields = [], onReload, noun = 'this' }: SaveErrorProps) {
  if (error instanceof ApiError && error.code === 'O2C_VERSION_CONFLICT') {
    return (
      <div className="message message-error" role="alert">
        <p>Someone else changed {noun} in the meantime — reload to see the current values, then apply your change again.</p>
        {onReload === undefined ? null : (
          <button type="button" onClick={onReload}>
            Reload
          </button>
        )}
      </div>
    );
  }
  return <ErrorMessage error={error} shownFields={shownFields} />;
}
