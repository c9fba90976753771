/**
 * Small pieces the desk's screens share: status and warranty tags, and the
 * form checks the core makes (src/core/service/archive.ts normalizePhone,
 * the serial number's pattern), so a form is right before it is sent.
 */
import type { FormInstance } from 'antd';
import { Tag, Tooltip, Typography } from 'antd';
import { normalizePhone } from '../../../../../src/core/service/archive.ts';
import { charCount, normalizeCode } from '../../../../../src/core/workbench/fields.ts';
import { ApiError } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { parseYuan } from '../../../shared/format.ts';
import { fmt, useLang, useMessages, type Lang } from '../../../shared/i18n.tsx';
import { serviceMessages, type ServiceM } from './messages.ts';
import { flagColour, statusColour, type DispatchTiming, type RepairStatus, type WarrantyStatus } from './model.ts';

export { charCount, normalizeCode, normalizePhone };

export function StatusTag({ status }: { status: RepairStatus }) {
  const m = useMessages(serviceMessages) as Record<string, string>;
  return (
    <Tag color={statusColour[status] ?? 'default'} data-testid="record-status">
      {m[`st_${status}`] ?? status}
    </Tag>
  );
}

const warrantyColour = { in_warranty: 'success', expired: 'error', not_started: 'warning' } as const;

/** In or out of warranty, with the reason (the seed's clause) beside or in a tooltip. */
export function WarrantyTag({ warranty, showReason = false }: { warranty: WarrantyStatus | null | undefined; showReason?: boolean }) {
  const m = useMessages(serviceMessages);
  const { lang } = useLang();
  if (!warranty) return <Tag>{m.coverageUnknown}</Tag>;
  const label = warranty.state === 'in_warranty' ? m.inWarranty : warranty.state === 'expired' ? m.expired : m.notStarted;
  const reason = lang === 'en' ? warranty.reason.en : warranty.reason['zh-CN'];
  const tag = (
    <Tag color={warrantyColour[warranty.state]} data-testid="warranty-tag">
      {label}
    </Tag>
  );
  if (!showReason) return <Tooltip title={reason}>{tag}</Tooltip>;
  return (
    <span data-testid="warranty-answer">
      {tag}
      <Typography.Text data-testid="warranty-reason">{reason}</Typography.Text>
    </span>
  );
}

export function FlagTag({ timing }: { timing: DispatchTiming }) {
  const m = useMessages(serviceMessages) as Record<string, string>;
  const strong = timing.flag === 'late_without_notice';
  return (
    <Tag color={flagColour[timing.flag] ?? 'default'} data-testid={`flag-${timing.flag}`} style={strong ? { fontWeight: 600 } : undefined}>
      {m[`flag_${timing.flag}`] ?? timing.flag}
    </Tag>
  );
}

/** The core's field names (src/core/service/*) → this page's words. */
const fieldLabels: Record<string, keyof ServiceM> = {
  'customer.organisation': 'organisation',
  'customer.contact': 'contact',
  'customer.phone': 'phone',
  'customer.siteAddress': 'siteAddress',
  product: 'product',
  serialNo: 'serialNo',
  contractNo: 'contractNo',
  projectName: 'projectName',
  market: 'market',
  deliveredOn: 'deliveredOn',
  acceptedOn: 'acceptedOn',
  warrantyPeriod: 'warrantyPeriod',
  'warrantyPeriod.count': 'warrantyPeriod',
  notes: 'notes',
  archive: 'chosenProduct',
  archiveId: 'chosenProduct',
  callerName: 'callerName',
  'caller.name': 'callerName',
  callerPhone: 'callerPhone',
  'caller.phone': 'callerPhone',
  calledAt: 'calledAt',
  fault: 'fault',
  'solvedOnPhone.solution': 'solution',
  'emergency.assignee': 'emergencyLead',
  'emergency.startedAt': 'emergency',
  assignee: 'assignLead',
  reason: 'reason',
  billing: 'decision',
  note: 'note',
  findings: 'findings',
  feeStandard: 'feeStandard',
  items: 'feeItems',
  work: 'sectionWork',
  'work.method': 'workMethod',
  'work.workDone': 'workDone',
  'work.labourMinutes': 'labour',
  'work.parts': 'parts',
  'work.finishedAt': 'finishedAt',
  amountFen: 'amount',
  method: 'paymentMethod',
  receivedOn: 'receivedOn',
  number: 'invoiceNumber',
  issueDate: 'issueDate',
  reached: 'reachedQuestion',
  satisfaction: 'satisfaction',
  comments: 'comments',
  at: 'calledAt',
  promisedOn: 'promisedOn',
  channel: 'channel',
  toldAt: 'toldAt',
  arrivedAt: 'arrivedAt',
  leadUserId: 'lead',
  plannedOn: 'plannedOn',
  plannedArrival: 'plannedOn',
  thresholdHours: 'threshold',
};

function fieldLabel(field: string, m: ServiceM): string {
  const key = fieldLabels[field] ?? fieldLabels[field.replace(/\[\d+\]/g, '').replace(/\.[^.]+$/, '')] ?? fieldLabels[field.split(/[.[]/)[0] ?? ''];
  return key ? m[key] : m.checkField;
}

/**
 * The server's refusal in words: errorText, but a validation refusal names
 * this page's fields (the shared map does not know the desk's), and a refusal
 * whose reason the page knows says what to do (hint_<reason>). In English the
 * core's own sentences follow: they say exactly what is wrong.
 */
export function problemText(err: unknown, lang: Lang, m?: ServiceM): string {
  let text = errorText(err, lang);
  if (!(err instanceof ApiError) || !m) return text;
  if (err.code === 'VALIDATION_FAILED') {
    const issues = (err.details.issues as { field?: string; path?: string; message?: string }[] | undefined) ?? [];
    const fields = [...new Set([...issues.map((i) => i.field ?? i.path ?? ''), typeof err.details.field === 'string' ? err.details.field : ''].filter(Boolean))];
    if (fields.length) {
      const names = [...new Set(fields.map((f) => fieldLabel(f, m)))];
      text = lang === 'en' ? `Check: ${names.join(', ')}.` : `请检查：${names.join('、')}。`;
      const said = issues.map((i) => i.message).filter((x): x is string => !!x);
      if (lang === 'en' && said.length) text += ` ${said.slice(0, 4).join(' ')}`;
    }
  }
  const reason = typeof err.details.reason === 'string' ? err.details.reason : '';
  const hint = (m as Record<string, string>)[`hint_${reason}`];
  if (err.code === 'ASSIGNEE_NOT_ELIGIBLE') text = m.leadNotEligible;
  return hint ? `${text} ${hint}` : text;
}

/** The form fields a validation refusal names (the core's `field`, the schema's `path`), mapped onto this form's names. */
export function markServerFields(form: FormInstance, err: unknown, m: ServiceM, names: Record<string, string | (string | number)[]> = {}): void {
  if (!(err instanceof ApiError) || err.code !== 'VALIDATION_FAILED') return;
  const issues = (err.details.issues as { field?: string; path?: string; message?: string }[] | undefined) ?? [];
  const fields = new Map<string, string | undefined>(issues.map((i) => [i.field ?? i.path ?? '', i.message]));
  if (typeof err.details.field === 'string') fields.set(err.details.field, undefined);
  const known = new Set(Object.keys(form.getFieldsValue(true) as Record<string, unknown>));
  const out: { name: string | (string | number)[]; errors: string[] }[] = [];
  for (const f of fields.keys()) {
    if (!f) continue;
    const mapped = names[f] ?? (f.includes('.') || f.includes('[') ? f.split(/[.[\]]/).filter(Boolean).map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : f);
    const first = Array.isArray(mapped) ? String(mapped[0]) : mapped;
    if (known.has(first) || names[f]) out.push({ name: mapped, errors: [m.checkField] });
  }
  if (out.length) form.setFields(out);
}

type Rule = { validator: (rule: unknown, value: string | undefined) => Promise<void> };

export function requiredText(m: ServiceM, field: string): { required: true; whitespace: true; message: string } {
  return { required: true, whitespace: true, message: fmt(m.required, { field }) };
}

export function lengthRule(m: ServiceM, field: string, min: number, max: number): Rule {
  return {
    validator: async (_r, v) => {
      const n = charCount((v ?? '').trim());
      if (n === 0) return;
      if (n < min) throw new Error(fmt(m.tooShort, { field, min }));
      if (n > max) throw new Error(fmt(m.tooLong, { field, max }));
    },
  };
}

/** S5.1: a mobile, a landline with its area code or a 400/800 number, as the core normalizes it. */
export function phoneRule(m: ServiceM): Rule {
  return {
    validator: async (_r, v) => {
      const text = (v ?? '').trim();
      if (text && normalizePhone(text) === null) throw new Error(m.phoneInvalid);
    },
  };
}

export function serialRule(m: ServiceM): Rule {
  return {
    validator: async (_r, v) => {
      const code = normalizeCode(v ?? '');
      if (code && !/^[A-Z0-9][A-Z0-9\-/._]{2,39}$/.test(code)) throw new Error(m.serialInvalid);
    },
  };
}

/** A fact's date: valid, not before 1990, not after today (Shanghai), not before `notBefore`. */
export function pastDateRule(m: ServiceM, today: string, notBefore?: string, notBeforeText?: string): Rule {
  return {
    validator: async (_r, v) => {
      if (!v) return;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) throw new Error(m.dateInvalid);
      if (v < '1990-01-01') throw new Error(m.dateTooEarly);
      if (v > today) throw new Error(m.dateFuture);
      if (notBefore && v < notBefore) throw new Error(notBeforeText ?? m.dateInvalid);
    },
  };
}

/** An amount typed in yuan (→ fen with parseYuan). */
export function yuanRule(m: ServiceM, options: { positive: boolean; required: boolean }): Rule {
  return {
    validator: async (_r, v) => {
      const text = (v ?? '').trim();
      if (!text) {
        if (options.required) throw new Error(m.amountFormat);
        return;
      }
      const fen = parseYuan(text);
      if (fen === null) throw new Error(m.amountFormat);
      if (options.positive && fen < 1) throw new Error(m.amountPositive);
    },
  };
}

export function quantityRule(m: ServiceM): Rule {
  return {
    validator: async (_r, v) => {
      const text = String(v ?? '').trim();
      if (!text) throw new Error(m.quantityInvalid);
      const n = Number(text);
      if (!Number.isInteger(n) || n < 1 || n > 9999) throw new Error(m.quantityInvalid);
    },
  };
}
