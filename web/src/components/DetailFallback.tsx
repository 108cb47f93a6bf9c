import { Link } from 'react-router-dom';
import { ErrorMessage } from './ErrorMessage';

interface DetailFallbackProps {
  /** The load's failure, or null while it is still loading. */
  readonly error: unknown;
  /** e.g. "Loading order…" */
  readonly loadingText: string;
  /** The page heading shown with a failure, e.g. "Order". */
  readonly title: string;
  readonly backTo: string;
  readonly backLabel: string;
}

/** What a detail page shows before its record is there: a loading note, or the failure and a way back. */
export function DetailFallback({ error, loadingText, title, backTo, backLabel }: DetailFallbackProps) {
  return error === null ? (
    <p className="loading" role="status">
      {loadingText}
    </p>
  ) : (
    <>
      <h1>{title}</h1>
      <ErrorMessage error={error} />
      <p>
        <Link to={backTo}>{backLabel}</Link>
      </p>
    </>
  );
}
