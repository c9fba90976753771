/**
 * The queue's batch actions, as the web app reasons about them: whether the
 * batch agree may take the selection (the server's own rule, from the pure
 * core, so the button and the server never disagree), and the files of the
 * export (fetched, so that a refusal is shown in words, not as a page of JSON).
 */
import { downloadFile as sharedDownload } from '../../../shared/download.ts';
import { batchAgreeRefusal } from '../../../../../src/core/refund/batch-agree.ts';
import { type Query } from '../../../shared/api.ts';
import type { Refund } from '../../../shared/types.ts';

/** Why the batch agree button is off for this selection, or null when it may go (each refund's guards still decide). */
export type AgreeBlock = { kind: 'loading' } | { kind: 'off' } | { kind: 'returns'; n: number } | { kind: 'over'; n: number };

export function batchAgreeBlock(selected: readonly Pick<Refund, 'type' | 'amountFen'>[], limitFen: number | null): AgreeBlock | null {
  if (limitFen === null) return { kind: 'loading' };
  if (limitFen <= 0) return { kind: 'off' };
  const why = selected.map((r) => batchAgreeRefusal(r, limitFen));
  const returns = why.filter((w) => w === 'not_refund_only').length;
  if (returns > 0) return { kind: 'returns', n: returns };
  const over = why.filter((w) => w === 'over_limit').length;
  if (over > 0) return { kind: 'over', n: over };
  return null;
}

/** The export's query: the current filter without paging, or the rows selected. */
export function exportQuery(filter: Query, selectedIds?: readonly number[]): Query {
  const { limit: _limit, cursor: _cursor, ...rest } = filter;
  return selectedIds ? { id: selectedIds } : rest;
}

/** The queue's exports (the current filter, the rows selected): the shared download (a refusal throws, shown in words). */
export function downloadFile(path: string, query: Query): Promise<void> {
  return sharedDownload(path, query, 'refunds.xlsx');
}
