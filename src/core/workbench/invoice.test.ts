/** S1.8 the invoice book: title, tax id, amount; requested → sent_to_finance → issued | cancelled. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import {
  applyInvoiceAction,
  createInvoice,
  invoiceStatuses,
  invoiceTransitions,
  validateInvoiceRequest,
  type Invoice,
  type InvoiceCommand,
} from './invoice.ts';

const T0 = new Date('2026-03-02T02:00:00.000Z'); // Mon 10:00 Shanghai
const ctx = { now: T0 };
const later = { now: new Date('2026-03-05T02:00:00.000Z') };

function reasonOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return { code: e.code, ...e.details };
    throw e;
  }
  throw new Error('expected an AppError');
}

const company = { titleType: 'company', title: '福州某某鞋业有限公司', taxId: '91350100M000100Y43', amountFen: 12900 } as const;

describe('validateInvoiceRequest', () => {
  it('S1.8 accepts a company title with a valid unified social credit code, normalized', () => {
    expect(validateInvoiceRequest({ ...company, taxId: ' 91350100m000100y43 ' })).toEqual({ ...company, taxId: '91350100M000100Y43' });
  });

  it('S1.8 refuses a company title without a valid unified social credit code', () => {
    expect(reasonOf(() => validateInvoiceRequest({ ...company, taxId: null }))).toMatchObject({
      code: 'VALIDATION_FAILED',
      reason: 'tax_id_required',
      field: 'taxId',
    });
    expect(reasonOf(() => validateInvoiceRequest({ ...company, taxId: '91350100M000100Y44' }))).toMatchObject({
      reason: 'tax_id_uscc_check_digit_mismatch',
    });
    expect(reasonOf(() => validateInvoiceRequest({ ...company, taxId: '9135010' }))).toMatchObject({ reason: 'tax_id_uscc_wrong_length' });
  });

  it('S1.8 an individual title needs no tax id, and refuses one (the wrong title type)', () => {
    expect(validateInvoiceRequest({ titleType: 'individual', title: '个人', amountFen: 100 })).toEqual({
      titleType: 'individual',
      title: '个人',
      taxId: null,
      amountFen: 100,
    });
    expect(validateInvoiceRequest({ titleType: 'individual', title: '张三', taxId: '  ', amountFen: 100 }).taxId).toBeNull();
    expect(reasonOf(() => validateInvoiceRequest({ titleType: 'individual', title: '张三', taxId: company.taxId, amountFen: 100 }))).toMatchObject({
      reason: 'tax_id_not_for_individual',
    });
  });

  it('S1.8 the title has 1 to 100 characters after trimming', () => {
    expect(reasonOf(() => validateInvoiceRequest({ ...company, title: '   ' }))).toMatchObject({ reason: 'title_required' });
    expect(validateInvoiceRequest({ ...company, title: `  ${'鞋'.repeat(100)}  ` }).title).toHaveLength(100);
    expect(reasonOf(() => validateInvoiceRequest({ ...company, title: '鞋'.repeat(101) }))).toMatchObject({ reason: 'title_too_long', limit: 100 });
  });

  it('S1.8 the amount is a positive whole number of fen', () => {
    for (const amountFen of [0, -100, 12.5, Number.NaN]) {
      expect(reasonOf(() => validateInvoiceRequest({ ...company, amountFen }))).toMatchObject({ field: 'amountFen' });
    }
    expect(reasonOf(() => validateInvoiceRequest({ ...company, amountFen: 0 }))).toMatchObject({ reason: 'amount_fen_not_positive' });
  });

  it('S1.8 lists every problem at once', () => {
    const details = reasonOf(() =>
      validateInvoiceRequest({ titleType: 'company', title: '', taxId: 'x', amountFen: 0 }),
    ) as { issues: { field: string }[] };
    expect(details.issues.map((i) => i.field)).toEqual(['title', 'amountFen', 'taxId']);
  });
});

function run(invoice: Invoice, ...commands: InvoiceCommand[]): Invoice {
  return commands.reduce((inv, cmd) => applyInvoiceAction(inv, cmd, later).record, invoice);
}

describe('the invoice book', () => {
  const fresh = createInvoice(company, ctx);

  it('S1.8 registers, passes to finance, and finance issues with number and date', () => {
    expect(fresh).toMatchObject({ status: 'requested', requestedAt: T0.toISOString(), issued: null });
    const sent = applyInvoiceAction(fresh, { action: 'send_to_finance' }, later);
    expect(sent).toMatchObject({ from: 'requested', to: 'sent_to_finance', record: { sentToFinanceAt: later.now.toISOString() } });
    const issued = applyInvoiceAction(sent.record, { action: 'issue', number: ' 12345678 ', issueDate: '2026-03-05' }, later);
    expect(issued.to).toBe('issued');
    expect(issued.record.issued).toEqual({ number: '12345678', issueDate: '2026-03-05', at: later.now.toISOString() });
    expect(issued.data).toEqual({ number: '12345678', issueDate: '2026-03-05' });
    // a 20-digit 数电票 number
    expect(run(fresh, { action: 'send_to_finance' }, { action: 'issue', number: '26332000000012345678', issueDate: '2026-03-02' }).status).toBe('issued');
  });

  it('S1.8 refuses an invoice number outside 8 to 20 letters or digits', () => {
    const sent = run(fresh, { action: 'send_to_finance' });
    for (const number of ['1234567', '123456789012345678901', '1234-5678', '']) {
      expect(reasonOf(() => applyInvoiceAction(sent, { action: 'issue', number, issueDate: '2026-03-05' }, later))).toMatchObject({
        code: 'VALIDATION_FAILED',
        field: 'number',
      });
    }
  });

  it('S1.8 refuses an issue date that is not a date, in the future, or before the request', () => {
    const sent = run(fresh, { action: 'send_to_finance' });
    const issueOn = (issueDate: string) => () => applyInvoiceAction(sent, { action: 'issue', number: '12345678', issueDate }, later);
    expect(reasonOf(issueOn('2026-02-30'))).toMatchObject({ reason: 'issue_date_invalid_date' });
    expect(reasonOf(issueOn('05/03/2026'))).toMatchObject({ reason: 'issue_date_invalid_date' });
    expect(reasonOf(issueOn('2026-03-06'))).toMatchObject({ reason: 'issue_date_in_future' });
    expect(reasonOf(issueOn('2026-03-01'))).toMatchObject({ reason: 'issue_date_before_request' });
  });

  it('S1.8 cannot issue before finance has it, nor act on a final invoice', () => {
    expect(reasonOf(() => applyInvoiceAction(fresh, { action: 'issue', number: '12345678', issueDate: '2026-03-05' }, later))).toMatchObject({
      code: 'ACTION_NOT_ALLOWED',
      reason: 'transition_not_allowed',
      status: 'requested',
      allowedActions: ['send_to_finance', 'cancel'],
    });
    const issued = run(fresh, { action: 'send_to_finance' }, { action: 'issue', number: '12345678', issueDate: '2026-03-05' });
    expect(reasonOf(() => applyInvoiceAction(issued, { action: 'cancel', reason: '客户不要了' }, later))).toMatchObject({
      code: 'ACTION_NOT_ALLOWED',
      allowedActions: [],
    });
  });

  it('S1.8 cancels from requested or with finance, with a reason', () => {
    expect(run(fresh, { action: 'cancel', reason: '客户不需要发票了' })).toMatchObject({ status: 'cancelled', cancelled: { reason: '客户不需要发票了' } });
    expect(run(fresh, { action: 'send_to_finance' }, { action: 'cancel', reason: '抬头有误' }).status).toBe('cancelled');
    expect(reasonOf(() => applyInvoiceAction(fresh, { action: 'cancel', reason: ' ' }, later))).toMatchObject({ reason: 'reason_required' });
  });

  it('S1.8 the table: issued and cancelled are final, every target is a status', () => {
    expect(Object.keys(invoiceTransitions.issued)).toEqual([]);
    expect(Object.keys(invoiceTransitions.cancelled)).toEqual([]);
    for (const row of Object.values(invoiceTransitions)) {
      for (const to of Object.values(row)) expect(invoiceStatuses).toContain(to);
    }
  });
});
