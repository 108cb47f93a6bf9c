import { useCallback, useEffect, useRef, useState } from 'react';
import type { Page } from './api';

export interface PagedList<T> {
  readonly items: readonly T[];
  readonly hasMore: boolean;
  readonly loading: boolean;
  readonly error: unknown;
  loadMore(): void;
  reload(): void;
  /** Replaces the loaded row with the same id (after an edit). */
  replace(item: T): void;
}

/**
 * A cursor-paged list. `fetchPage` must change (useCallback) exactly when the
 * filter changes; then the list starts again from the first page.
 */
export function usePagedList<T extends { readonly id: string }>(fetchPage: (cursor?: string) => Promise<Page<T>>): PagedList<T> {
  const [items, setItems] = useState<readonly T[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [generation, setGeneration] = useState(0);
  // Answers to an older filter or generation are dropped.
  const current = useRef(0);

  useEffect(() => {
    const ticket = ++current.current;
    setLoading(true);
    setError(null);
    fetchPage().then(
      (page) => {
        if (ticket !== current.current) return;
        setItems(page.items);
        setNextCursor(page.nextCursor);
        setLoading(false);
      },
      (failure: unknown) => {
        if (ticket !== current.current) return;
        setItems([]);
        setNextCursor(null);
        setError(failure);
        setLoading(false);
      },
    );
  }, [fetchPage, generation]);

  const loadMore = useCallback(() => {
    if (nextCursor === null) return;
    const ticket = current.current;
    setLoading(true);
    setError(null);
    fetchPage(nextCursor).then(
      (page) => {
        if (ticket !== current.current) return;
        setItems((loaded) => [...loaded, ...page.items]);
        setNextCursor(page.nextCursor);
        setLoading(false);
      },
      (failure: unknown) => {
        if (ticket !== current.current) return;
        setError(failure);
        setLoading(false);
      },
    );
  }, [fetchPage, nextCursor]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  const replace = useCallback((item: T) => setItems((loaded) => loaded.map((row) => (row.id === item.id ? item : row))), []);

  return { items, hasMore: nextCursor !== null, loading, error, loadMore, reload, replace };
}
