/**
 * S1.8 the invoice book (发票本): a buyer who applied 仅退款 + 发票问题 but does
 * need an invoice gives the title, individual or company; the agent registers
 * it here and passes it to finance, who issues it.
 */
import { AppError } from '../errors.ts';
import type { Fen } from '../money.ts';
import type { Role } from '../roles.ts';
import { issue, isCalendarDate, normalizeCode, readChoice, readFen, readText, shanghaiDate, throwIfIssues, type FieldIssue } from './fields.ts';
import { requireTransition, type RecordChange, type TransitionTable, type WorkbenchContext } from './record-machine.ts';
import { checkUscc } from './uscc.ts';

export const invoiceTitleTypes = [
  /** 个人: no tax id */
  'individual',
  /** 公司 / 单位: needs the unified social credit code (税号) */
  'company',
] as const;
export type InvoiceTitleType = (typeof invoiceTitleTypes)[number];

export const invoiceStatuses = [
  /** registered in the invoice book from the buyer's call */
  'requested',
  /** handed to finance to issue */
  'sent_to_finance',
  /** finance issued it: number and date recorded (final) */
  'issued',
  /** not issued after all (final) */
  'cancelled',
] as const;
export type InvoiceStatus = (typeof invoiceStatuses)[number];

export const invoiceActions = ['send_to_finance', 'issue', 'cancel'] as const;
export type InvoiceAction = (typeof invoiceActions)[number];

export const invoiceTransitions = {
  requested: { send_to_finance: 'sent_to_finance', cancel: 'cancelled' },
  sent_to_finance: { issue: 'issued', cancel: 'cancelled' },
  issued: {},
  cancelled: {},
} as const satisfies TransitionTable<InvoiceStatus, InvoiceAction>;

/** Who may take each action: the agent registers and passes on, finance issues. */
export const invoiceActionRoles = {
  send_to_finance: ['agent', 'supervisor'],
  issue: ['finance'],
  cancel: ['agent', 'supervisor', 'finance'],
} as const satisfies Record<InvoiceAction, readonly Role[]>;

export const invoiceTitleMaxChars = 100;

export interface InvoiceRequestInput {
  titleType: InvoiceTitleType;
  title: string;
  /** the company's unified social credit code; individuals have none */
  taxId?: string | null | undefined;
  amountFen: Fen;
}

export interface InvoiceRequest {
  titleType: InvoiceTitleType;
  title: string;
  /** normalized USCC for a company, null for an individual */
  taxId: string | null;
  amountFen: Fen;
}

export interface Invoice extends InvoiceRequest {
  status: InvoiceStatus;
  requestedAt: string;
  sentToFinanceAt: string | null;
  issued: { number: string; issueDate: string; at: string } | null;
  cancelled: { reason: string; at: string } | null;
  updatedAt: string;
}

export type InvoiceCommand =
  | { action: 'send_to_finance' }
  /** number: 8 (paper 发票号码) to 20 (数电票) characters; issueDate: YYYY-MM-DD */
  | { action: 'issue'; number: string; issueDate: string }
  | { action: 'cancel'; reason: string };

export type InvoiceChange = RecordChange<Invoice, InvoiceStatus, InvoiceAction>;

/** S1.8: the title the buyer gave, checked; a company title needs a valid unified social credit code. */
export function validateInvoiceRequest(input: InvoiceRequestInput): InvoiceRequest {
  const issues: FieldIssue[] = [];
  const titleType = readChoice(issues, input.titleType, invoiceTitleTypes, { field: 'titleType', label: 'The title type (抬头类型)' });
  const title = readText(issues, input.title, { field: 'title', label: 'The invoice title (发票抬头)', min: 1, max: invoiceTitleMaxChars });
  const amountFen = readFen(issues, input.amountFen, { field: 'amountFen', label: 'The invoice amount', min: 1 });
  const rawTaxId = typeof input.taxId === 'string' ? input.taxId.trim() : input.taxId;
  let taxId: string | null = null;
  if (titleType === 'company') {
    if (rawTaxId === undefined || rawTaxId === null || rawTaxId === '') {
      issues.push(issue('taxId', 'required', 'A company title needs the unified social credit code (统一社会信用代码 / 税号).'));
    } else if (typeof rawTaxId !== 'string') {
      issues.push(issue('taxId', 'not_text', 'The tax id must be text.'));
    } else {
      const check = checkUscc(rawTaxId);
      if (check.ok) taxId = check.normalized;
      else issues.push(issue('taxId', `uscc_${check.reason}`, check.message));
    }
  } else if (titleType === 'individual' && rawTaxId !== undefined && rawTaxId !== null && rawTaxId !== '') {
    // a tax id on a personal title means the wrong title type was chosen
    issues.push(issue('taxId', 'not_for_individual', 'An individual title (个人) has no tax id; if the buyer is a company, choose the company title.'));
  }
  throwIfIssues('S1.8 invoice title', issues);
  return { titleType: titleType as InvoiceTitleType, title: title as string, taxId, amountFen: amountFen as Fen };
}

/** S1.8: registers a validated request in the invoice book. */
export function createInvoice(input: InvoiceRequestInput, ctx: WorkbenchContext): Invoice {
  const request = validateInvoiceRequest(input);
  const at = ctx.now.toISOString();
  return { ...request, status: 'requested', requestedAt: at, sentToFinanceAt: null, issued: null, cancelled: null, updatedAt: at };
}

function checkIssue(invoice: Invoice, number: unknown, issueDate: unknown, now: Date): { number: string; issueDate: string } {
  const issues: FieldIssue[] = [];
  const n = typeof number === 'string' ? normalizeCode(number) : '';
  if (!n) issues.push(issue('number', 'required', 'The invoice number (发票号码) is required.'));
  else if (!/^[0-9A-Z]{8,20}$/.test(n)) {
    issues.push(issue('number', 'invalid_format', 'The invoice number (发票号码) has 8 to 20 letters or digits (8 on a paper invoice, 20 on a 数电票).'));
  }
  const d = typeof issueDate === 'string' ? issueDate.trim() : '';
  if (!isCalendarDate(d)) {
    issues.push(issue('issueDate', 'invalid_date', 'The issue date (开票日期) must be a date like 2026-03-01.'));
  } else if (d > shanghaiDate(now)) {
    issues.push(issue('issueDate', 'in_future', 'The issue date (开票日期) cannot be later than today.'));
  } else if (d < shanghaiDate(new Date(invoice.requestedAt))) {
    issues.push(issue('issueDate', 'before_request', 'The issue date (开票日期) cannot be before the request was registered.'));
  }
  throwIfIssues('S1.8 issuing the invoice', issues);
  return { number: n, issueDate: d };
}

/** Moves an invoice along the book: send to finance, issue, cancel. */
export function applyInvoiceAction(invoice: Invoice, command: InvoiceCommand, ctx: WorkbenchContext): InvoiceChange {
  const to = requireTransition('invoice', invoiceTransitions, invoice.status, command.action);
  const at = ctx.now.toISOString();
  const moved = { ...invoice, status: to, updatedAt: at };
  switch (command.action) {
    case 'send_to_finance':
      return { record: { ...moved, sentToFinanceAt: at }, action: command.action, from: invoice.status, to, data: {} };
    case 'issue': {
      const issued = checkIssue(invoice, command.number, command.issueDate, ctx.now);
      return { record: { ...moved, issued: { ...issued, at } }, action: command.action, from: invoice.status, to, data: issued };
    }
    case 'cancel': {
      const issues: FieldIssue[] = [];
      const reason = readText(issues, command.reason, { field: 'reason', label: 'The reason for cancelling', min: 2, max: 200 });
      throwIfIssues('S1.8 cancelling the invoice', issues);
      return {
        record: { ...moved, cancelled: { reason: reason as string, at } },
        action: command.action,
        from: invoice.status,
        to,
        data: { reason },
      };
    }
    default: {
      const unknown: never = command;
      throw new AppError('VALIDATION_FAILED', 'Unknown invoice action.', { reason: 'unknown_action', action: (unknown as { action: unknown }).action });
    }
  }
}
