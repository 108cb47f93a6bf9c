import { useCallback, useEffect, useRef, useState } from 'react';

export interface Loaded<T> {
  readonly data: T | null;
  readonly error: unknown;
  readonly loading: boolean;
  reload(): void;
  /** Replaces the data (after a save answered the new record). */
  set(data: T): void;
}

/** Loads one thing; `load` must change (useCallback) exactly when what to load changes. */
export function useLoad<T>(load: () => Promise<T>): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const current = useRef(0);

  useEffect(() => {
    const ticket = ++current.current;
    setLoading(true);
    setError(null);
    load().then(
      (result) => {
        if (ticket !== current.current) return;
        setData(result);
        setLoading(false);
      },
      (failure: unknown) => {
        if (ticket !== current.current) return;
        setError(failure);
        setLoading(false);
      },
    );
  }, [load, generation]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  const set = useCallback((next: T) => {
    current.current++;
    setData(next);
    setError(null);
    setLoading(false);
  }, []);
  return { data, error, loading, reload, set };
}
