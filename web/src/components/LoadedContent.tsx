import type { ReactNode } from 'react';
import { ErrorMessage } from './ErrorMessage';

interface LoadedContentProps<T> {
  /** What useLoad answers: the data once there, the failure of the last load. */
  readonly loaded: { readonly data: T | null; readonly error: unknown };
  /** e.g. "Loading payments…" */
  readonly loadingText: string;
  readonly children: (data: T) => ReactNode;
}

/** The failure of a load if any, then what shows the data, or a loading note while there is none yet. */
export function LoadedContent<T>({ loaded, loadingText, children }: LoadedContentProps<T>) {
  return (
    <>
      <ErrorMessage error={loaded.error} />
      {loaded.data === null ? (
        loaded.error === null ? (
          <p className="loading" role="status">
            {loadingText}
          </p>
        ) : null
      ) : (
        children(loaded.data)
      )}
    </>
  );
}
