/**
 * A list read newest first, a page at a time (`limit`, then `beforeId` of the
 * last row): the rows, whether more are there, loading, the error in words,
 * `more()` for the next page and `reload()`. A stale answer never overwrites
 * a newer one; a new query starts again from the first page.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { get } from './api.ts';
import { errorText } from './errors.ts';
import type { Lang } from './i18n.tsx';

export interface KeysetList<T> {
  items: T[];
  hasMore: boolean;
  loading: boolean;
  error: string | null;
  more: () => Promise<void>;
  reload: () => void;
}

type Query = Record<string, string | number | boolean | undefined>;

export function useKeysetList<T extends { id: number }>(path: string, query: Query, lang: Lang, deps: readonly unknown[], page = 50): KeysetList<T> {
  const [items, setItems] = useState<T[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const queryRef = useRef(query);
  queryRef.current = query;
  /** the first page's request; a later page is only added when it answers the same one */
  const generation = useRef(0);

  useEffect(() => {
    const controller = new AbortController();
    const mine = ++generation.current;
    setLoading(true);
    get<T[]>(path, { ...queryRef.current, limit: page }, controller.signal)
      .then((list) => {
        setItems(list);
        setHasMore(list.length === page);
        setError(null);
      })
      .catch((err: unknown) => {
        if ((err as Error).name !== 'AbortError') setError(errorText(err, lang));
      })
      .finally(() => {
        if (!controller.signal.aborted && mine === generation.current) setLoading(false);
      });
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller names what the query depends on
  }, [path, lang, page, tick, ...deps]);

  const more = useCallback(async () => {
    const last = items[items.length - 1];
    if (!last) return;
    const mine = generation.current;
    setLoading(true);
    try {
      const list = await get<T[]>(path, { ...queryRef.current, limit: page, beforeId: last.id });
      if (mine !== generation.current) return;
      setItems((old) => [...old, ...list.filter((row) => !old.some((o) => o.id === row.id))]);
      setHasMore(list.length === page);
    } catch (err) {
      if (mine === generation.current) setError(errorText(err, lang));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, [items, path, page, lang]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { items, hasMore, loading, error, more, reload };
}
