/** The unshipped batch as the API answers it (src/http/routes/workbench.ts ZBatch), and the words for its states. */
import type { warehouseMessages } from './messages.ts';

export type BatchState = 'open' | 'sent' | 'frozen';
export type LineStatus = 'pending' | 'voided' | 'already_shipped';

export interface BatchLine {
  refundId: number;
  orderNo: string;
  amountFen: number;
  status: LineStatus;
  markedAt: string | null;
}

export interface Batch {
  id: number;
  businessDate: string;
  cutoffAt: string;
  status: BatchState;
  version: number;
  lines: BatchLine[];
}

type M = (typeof warehouseMessages)['zh-CN'];

export function batchStateText(state: BatchState, m: M): string {
  return state === 'open' ? m.stateOpen : state === 'sent' ? m.stateSent : m.stateFrozen;
}

export const batchStateColour: Record<BatchState, string> = { open: 'processing', frozen: 'warning', sent: 'success' };

export function lineStatusText(status: LineStatus, m: M): string {
  return status === 'pending' ? m.linePending : status === 'voided' ? m.lineVoided : m.lineShipped;
}

export const lineStatusColour: Record<LineStatus, string> = { pending: 'default', voided: 'green', already_shipped: 'blue' };

export function batchCounts(batch: Batch): { voided: number; shipped: number; pending: number } {
  let voided = 0;
  let shipped = 0;
  let pending = 0;
  for (const l of batch.lines) {
    if (l.status === 'voided') voided += 1;
    else if (l.status === 'already_shipped') shipped += 1;
    else pending += 1;
  }
  return { voided, shipped, pending };
}

/**
 * A tracking number as scanned or typed: full-width folded (a Chinese IME
 * types ＹＴ１２), spaces dropped, upper case — the way the server keeps codes.
 */
export function normalizeTrackingNo(text: string): string {
  return text.normalize('NFKC').replace(/\s+/gu, '').toUpperCase();
}

export const TRACKING_NO = /^[A-Z0-9-]{6,32}$/;

/** The download address of a batch in a format the server writes (S1.1: CSV / Excel for the warehouse). */
export function batchFileUrl(batchId: number, format: 'csv' | 'xlsx'): string {
  return `/api/v1/unshipped-batches/${batchId}?format=${format}`;
}
