/**
 * The desk keeps what is open in the address (?tab=, ?record=, ?archive=) so
 * a record can be linked, reloaded and reached with the browser's Back.
 */
import { useCallback, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';

export function useDeskLinks() {
  const [params, setParams] = useSearchParams();
  const set = useCallback(
    (changes: Record<string, string | null>) =>
      setParams(
        (old) => {
          const next = new URLSearchParams(old);
          for (const [k, v] of Object.entries(changes)) {
            if (v === null) next.delete(k);
            else next.set(k, v);
          }
          return next;
        },
        { replace: false },
      ),
    [setParams],
  );
  const num = (k: string) => {
    const v = Number(params.get(k));
    return Number.isSafeInteger(v) && v > 0 ? v : null;
  };
  return {
    tab: params.get('tab'),
    recordId: num('record'),
    archiveId: num('archive'),
    /** the archive the hotline form starts with */
    callFor: num('callFor'),
    setTab: (tab: string) => set({ tab, record: null, archive: null }),
    openRecord: (id: number) => set({ record: String(id) }),
    closeRecord: () => set({ record: null }),
    openArchive: (id: number) => set({ archive: String(id) }),
    closeArchive: () => set({ archive: null }),
    callForArchive: (id: number) => set({ tab: 'hotline', callFor: String(id), archive: null, record: null }),
    clearCallFor: () => set({ callFor: null }),
  };
}

/** The address with some parameters changed (a real link: it opens by keyboard, in a new tab, and is read as a link). */
function useHrefWith(): (changes: Record<string, string | null>) => string {
  const [params] = useSearchParams();
  return (changes) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    return `?${next.toString()}`;
  };
}

/** A link that opens a record's drawer. */
export function RecordLink({ id, children }: { id: number; children?: ReactNode }) {
  const href = useHrefWith();
  return <Link to={href({ record: String(id) })}>{children ?? `#${id}`}</Link>;
}

/** A link that opens an archive's drawer. */
export function ArchiveLink({ id, children }: { id: number; children: ReactNode }) {
  const href = useHrefWith();
  return <Link to={href({ archive: String(id) })}>{children}</Link>;
}
