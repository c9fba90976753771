/**
 * The side-process records finance works (src/http/routes/workbench.ts):
 * claims (S1.7), invoices (S1.8), postage compensations (S1.14). Their data
 * are the core's own types; the lists, details and actions as the API answers.
 */
import type { Claim } from '../../../../../src/core/workbench/claim.ts';
import type { Invoice } from '../../../../../src/core/workbench/invoice.ts';
import type { PostageRequest } from '../../../../../src/core/workbench/postage.ts';

export type { Claim, Invoice, PostageRequest };

export type Kind = 'claim' | 'invoice' | 'postage';
export type DataOf<K extends Kind> = K extends 'claim' ? Claim : K extends 'invoice' ? Invoice : PostageRequest;

export interface SideRecord<K extends Kind = Kind> {
  id: number;
  kind: K;
  status: string;
  refundId: number | null;
  data: DataOf<K>;
  amountFen: number | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  orderNo: string | null;
}

export interface RecordEvent {
  version: number;
  at: string;
  actorRole: string;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  data: Record<string, unknown>;
}

export interface SideRecordDetail<K extends Kind = Kind> extends SideRecord<K> {
  events: RecordEvent[];
  /** the actions open to the caller now (the kind's role table and the record's status) */
  allowedActions: string[];
}

/** The roles that open records (workbench.refund.work in src/app/access.ts); finance acts on them but does not open them. */
export const OPENERS = ['agent', 'supervisor'];

/** The statuses of each kind, in the order of its process (the filter's options). */
export const statusesOf: Record<Kind, readonly string[]> = {
  claim: ['opened', 'stamped', 'filed', 'compensated', 'closed', 'cancelled'],
  invoice: ['requested', 'sent_to_finance', 'issued', 'cancelled'],
  postage: ['requested', 'paid', 'cancelled'],
};

/** What finance has to do in each kind: the list opens on these for the finance role. */
export const financeTodo: Record<Kind, string> = { claim: 'opened', invoice: 'sent_to_finance', postage: 'requested' };

export const statusColour: Record<string, string> = {
  opened: 'processing',
  stamped: 'cyan',
  filed: 'blue',
  compensated: 'purple',
  closed: 'success',
  cancelled: 'default',
  requested: 'processing',
  sent_to_finance: 'orange',
  issued: 'success',
  paid: 'success',
};

/** The calendar date in Shanghai (UTC+8 all year) of an instant: the invoice's issue date. */
export function shanghaiToday(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Codes as the server keeps them (tracking numbers, invoice numbers, payment references): NFKC, no spaces, upper case. */
export function normalizeCode(text: string): string {
  return text.normalize('NFKC').replace(/\s+/gu, '').toUpperCase();
}

export const TRACKING_NO = /^[A-Z0-9-]{6,32}$/;
export const INVOICE_NO = /^[0-9A-Z]{8,20}$/;
export const PAYMENT_REF = /^[0-9A-Z-]{6,64}$/;

/** Characters as a person counts them (code points), as the server counts them. */
export function charCount(text: string): number {
  return [...text].length;
}
