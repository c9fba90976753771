/**
 * S5.1, S5.2 the service archive (售后档案): opened when a product is sold,
 * one per delivered unit, with the date that starts its warranty and the
 * period from the contract. The marketing clerk (市场部内勤) keeps it; the
 * project and R&D/production leads help complete it.
 *
 * When the warranty starts (seed, 第五篇 说明):
 *   (1) government procurement (政府采购项目): the day the government's
 *       acceptance passed (政府验收合格之日);
 *   (2) consumer market (消费类市场): once the goods reached the place the
 *       customer named and the customer accepted them without objection
 *       (货物到达对方指定地点且对方验收无误后).
 * The period is the contract's (保修期限以合同为准).
 *
 * When it ends (the seed names no convention; this is ours): the start day
 * counts, and the warranty covers whole months to the day before the start's
 * corresponding day; a start with no corresponding day in the end month
 * (29th–31st) runs to that month's end. See `lastDayOfPeriod`.
 */
import { AppError } from '../errors.ts';
import type { Role } from '../roles.ts';
import { charCount, issue, normalizeCode, readChoice, readText, throwIfIssues, type FieldIssue } from '../workbench/fields.ts';
import {
  calendarDaysBetween,
  earliestServiceDate,
  isCalendarDate,
  lastDayOfPeriod,
  shanghaiDate,
  type CalendarDate,
} from './dates.ts';
import { requireServiceRole, type Bilingual, type ServiceContext, type StaffRef } from './service-context.ts';

export const markets = [
  /** 政府采购项目: the warranty runs from the government's acceptance date */
  'government_procurement',
  /** 消费类市场: from delivery to the agreed place and the customer's acceptance */
  'consumer',
] as const;
export type Market = (typeof markets)[number];

export const marketLabels = {
  government_procurement: { 'zh-CN': '政府采购项目', en: 'Government procurement' },
  consumer: { 'zh-CN': '消费类市场', en: 'Consumer market' },
} as const satisfies Record<Market, Bilingual>;

export const warrantyPeriodUnits = ['months', 'years'] as const;
export type WarrantyPeriodUnit = (typeof warrantyPeriodUnits)[number];

/** The warranty period the contract states (保修期限以合同为准). */
export interface WarrantyPeriod {
  count: number;
  unit: WarrantyPeriodUnit;
}

/** The longest period the desk accepts: 30 years (360 months). */
export const maxWarrantyMonths = 360;

/** S5.1: the seed's clause for each market, cited by every warranty answer. */
export const warrantyClauses = {
  government_procurement: {
    id: 'S5.1(1)',
    seed: '政府采购项目，政府采购项目以政府验收合格之日开始起算，保修期限以合同为准。',
    startsOn: { 'zh-CN': '政府验收合格之日', en: "the date the government's acceptance passed" },
  },
  consumer: {
    id: 'S5.1(2)',
    seed: '消费类市场项目，消费类市场以货物到达对方指定地点且对方验收无误后开始起算，保修期限以合同为准。',
    startsOn: {
      'zh-CN': '货物到达对方指定地点且对方验收无误之日',
      en: 'the date the goods had reached the place the customer named and the customer accepted them',
    },
  },
} as const satisfies Record<Market, { id: string; seed: string; startsOn: Bilingual }>;

export interface ArchiveCustomer {
  /** 单位 */
  organisation: string;
  /** 联系人 */
  contact: string;
  /** normalized: 13812345678, 0412-6917788, 4006917788 */
  phone: string;
  /** where the equipment stands (设备所在地址); the dispatch goes there */
  siteAddress: string;
}

export interface ServiceArchiveFields {
  customer: ArchiveCustomer;
  /** product name and model (产品名称/型号) */
  product: string;
  /** normalized: upper case, no spaces */
  serialNo: string;
  /** 合同编号 */
  contractNo: string;
  /** 项目名称, when the sale was a project */
  projectName: string | null;
  market: Market;
  /** the day the goods reached the place the customer named (到货日期) */
  deliveredOn: CalendarDate | null;
  /** government: the day the acceptance passed; consumer: the day the customer accepted the goods (验收日期) */
  acceptedOn: CalendarDate | null;
  warrantyPeriod: WarrantyPeriod;
  notes: string | null;
}

export interface ServiceArchive extends ServiceArchiveFields {
  /** computed: null until the start is known (acceptance not yet recorded) */
  warrantyStart: CalendarDate | null;
  /** computed: the last day covered, inclusive */
  warrantyEnd: CalendarDate | null;
  createdAt: string;
  createdBy: StaffRef;
  updatedAt: string;
}

export interface ArchiveCustomerInput {
  organisation: string;
  contact: string;
  phone: string;
  siteAddress: string;
}

export interface ServiceArchiveInput {
  customer: ArchiveCustomerInput;
  product: string;
  serialNo: string;
  contractNo: string;
  projectName?: string | null | undefined;
  market: Market;
  deliveredOn?: string | null | undefined;
  acceptedOn?: string | null | undefined;
  warrantyPeriod: WarrantyPeriod;
  notes?: string | null | undefined;
}

export const archiveActions = ['create', 'amend'] as const;
export type ArchiveAction = (typeof archiveActions)[number];

/** S5.2: the clerk opens archives; the project and R&D/production leads help complete them. */
export const archiveActionRoles = {
  create: ['clerk', 'supervisor'],
  amend: ['clerk', 'field_lead', 'supervisor'],
} as const satisfies Record<ArchiveAction, readonly Role[]>;

// ───────────────────────── phone numbers ─────────────────────────

/**
 * A Chinese phone number, normalized, or null when it is none: a mobile
 * (13812345678, an optional +86/0086 dropped), a landline with its area code
 * (0412-6917788; 010 and 02x are three digits, other area codes four; the
 * local number 7 or 8 digits; an extension after 转 or ext kept as 转123),
 * or a 400/800 service number (4006917788).
 */
export function normalizePhone(value: string): string | null {
  const folded = value.normalize('NFKC').trim();
  const [main = '', ext, ...rest] = folded.split(/转|ext\.?|分机/i);
  if (rest.length > 0) return null;
  const extension = ext === undefined ? null : ext.replace(/[\s-]/g, '');
  if (extension !== null && !/^\d{1,6}$/.test(extension)) return null;
  let digits = main.replace(/[\s\-()（）]/g, '');
  if (/^(\+86|0086)/.test(digits)) digits = digits.replace(/^(\+86|0086)/, '');
  if (!/^\d+$/.test(digits)) return null;
  let normalized: string | null = null;
  if (/^1[3-9]\d{9}$/.test(digits)) normalized = digits;
  else if (/^[48]00\d{7}$/.test(digits)) normalized = digits;
  else if (/^0\d+$/.test(digits)) {
    const areaLength = /^0[12]/.test(digits) ? 3 : 4;
    const local = digits.slice(areaLength);
    if (/^[2-9]\d{6,7}$/.test(local)) normalized = `${digits.slice(0, areaLength)}-${local}`;
  }
  if (normalized === null) return null;
  if (extension !== null && /^1[3-9]/.test(normalized)) return null; // a mobile has no extension
  return extension === null ? normalized : `${normalized}转${extension}`;
}

export function readPhone(issues: FieldIssue[], value: unknown, spec: { field: string; label: string; required: boolean }): string | null {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    if (spec.required) issues.push(issue(spec.field, 'required', `${spec.label} is required.`));
    return null;
  }
  if (typeof value !== 'string') {
    issues.push(issue(spec.field, 'not_text', `${spec.label} must be text.`));
    return null;
  }
  const phone = normalizePhone(value);
  if (phone === null) {
    issues.push(
      issue(
        spec.field,
        'invalid_format',
        `${spec.label} must be a mobile number (11 digits, 1…), a landline with its area code (0412-6917788) or a 400/800 number; "${value}" is none.`,
      ),
    );
  }
  return phone;
}

// ───────────────────────── validation ─────────────────────────

/** A serial number (出厂编号): 3 to 40 letters, digits, - / . _ once spaces are dropped and full-width folded. */
export function readSerialNo(issues: FieldIssue[], value: unknown, spec: { field: string; label: string }): string | null {
  const code = typeof value === 'string' ? normalizeCode(value) : '';
  if (!code) {
    issues.push(issue(spec.field, 'required', `${spec.label} is required.`));
    return null;
  }
  if (!/^[A-Z0-9][A-Z0-9\-/._]{2,39}$/.test(code)) {
    issues.push(issue(spec.field, 'invalid_format', `${spec.label} has 3 to 40 letters or digits (and - / . _); "${String(value)}" is not one.`));
    return null;
  }
  return code;
}

function readPastDate(issues: FieldIssue[], value: unknown, spec: { field: string; label: string; today: CalendarDate }): CalendarDate | null {
  if (value === undefined || value === null || value === '') return null;
  const d = typeof value === 'string' ? value.trim() : '';
  if (!isCalendarDate(d)) {
    issues.push(issue(spec.field, 'invalid_date', `${spec.label} must be a date like 2026-03-01.`));
    return null;
  }
  if (d < earliestServiceDate) {
    issues.push(issue(spec.field, 'too_early', `${spec.label} cannot be before ${earliestServiceDate}.`));
    return null;
  }
  if (d > spec.today) {
    issues.push(issue(spec.field, 'in_future', `${spec.label} cannot be later than today (${spec.today}); record it once it has happened.`));
    return null;
  }
  return d;
}

function readWarrantyPeriod(issues: FieldIssue[], value: unknown): WarrantyPeriod | null {
  if (value === undefined || value === null || typeof value !== 'object') {
    issues.push(issue('warrantyPeriod', 'required', 'The warranty period from the contract (保修期限) is required.'));
    return null;
  }
  const v = value as { count?: unknown; unit?: unknown };
  const unit = readChoice(issues, v.unit, warrantyPeriodUnits, { field: 'warrantyPeriod.unit', label: 'The unit of the warranty period' });
  const max = unit === 'years' ? maxWarrantyMonths / 12 : maxWarrantyMonths;
  if (typeof v.count !== 'number' || !Number.isSafeInteger(v.count)) {
    issues.push(issue('warrantyPeriod.count', 'not_integer', 'The warranty period is a whole number of months or years (e.g. 12 months, 3 years).'));
    return null;
  }
  if (v.count < 1) {
    issues.push(issue('warrantyPeriod.count', 'not_positive', 'The warranty period must be at least 1 month.'));
    return null;
  }
  if (v.count > max) {
    issues.push(issue('warrantyPeriod.count', 'too_long', `The warranty period can be at most ${max} ${unit ?? 'months'}.`, max));
    return null;
  }
  return unit === null ? null : { count: v.count, unit };
}

/** The period in whole months. */
export function periodMonths(period: WarrantyPeriod): number {
  return period.unit === 'years' ? period.count * 12 : period.count;
}

export function periodLabel(period: WarrantyPeriod): Bilingual {
  const { count, unit } = period;
  return unit === 'years'
    ? { 'zh-CN': `${count}年`, en: `${count} year${count === 1 ? '' : 's'}` }
    : { 'zh-CN': `${count}个月`, en: `${count} month${count === 1 ? '' : 's'}` };
}

/**
 * S5.1: every field of an archive, with one message per field that is wrong.
 * `today` (Shanghai) bounds the delivery and acceptance dates: they are facts.
 */
export function validateArchive(input: ServiceArchiveInput, today: CalendarDate): ServiceArchiveFields {
  const issues: FieldIssue[] = [];
  const c = (input.customer ?? {}) as Partial<ArchiveCustomerInput>;
  if (input.customer === undefined || input.customer === null) issues.push(issue('customer', 'required', 'The customer (客户) is required.'));
  const organisation = readText(issues, c.organisation, { field: 'customer.organisation', label: 'The customer organisation (客户单位)', min: 1, max: 100 });
  const contact = readText(issues, c.contact, { field: 'customer.contact', label: 'The contact person (联系人)', min: 1, max: 40 });
  const phone = readPhone(issues, c.phone, { field: 'customer.phone', label: 'The contact phone (联系电话)', required: true });
  const siteAddress = readText(issues, c.siteAddress, { field: 'customer.siteAddress', label: 'The site address (设备所在地址)', min: 4, max: 200 });
  const product = readText(issues, input.product, { field: 'product', label: 'The product and model (产品名称/型号)', min: 1, max: 100 });
  const serialNo = readSerialNo(issues, input.serialNo, { field: 'serialNo', label: 'The serial number (出厂编号)' });
  const contractNo = readText(issues, input.contractNo, { field: 'contractNo', label: 'The contract number (合同编号)', min: 1, max: 64 });
  const projectName = readText(issues, input.projectName, { field: 'projectName', label: 'The project name (项目名称)', min: 0, max: 100 });
  const market = readChoice(issues, input.market, markets, { field: 'market', label: 'The market （政府采购项目 or 消费类市场）' });
  const deliveredOn = readPastDate(issues, input.deliveredOn, { field: 'deliveredOn', label: 'The delivery date (货物到达指定地点日期)', today });
  const acceptedOn = readPastDate(issues, input.acceptedOn, {
    field: 'acceptedOn',
    label: market === 'government_procurement' ? 'The acceptance date (政府验收合格日期)' : 'The acceptance date (验收无误日期)',
    today,
  });
  const warrantyPeriod = readWarrantyPeriod(issues, input.warrantyPeriod);
  const notes = readText(issues, input.notes, { field: 'notes', label: 'The notes', min: 0, max: 1000 });
  if (deliveredOn !== null && acceptedOn !== null && acceptedOn < deliveredOn) {
    issues.push(issue('acceptedOn', 'before_delivery', `The goods cannot be accepted (${acceptedOn}) before they were delivered (${deliveredOn}).`));
  }
  if (market === 'consumer' && acceptedOn !== null && deliveredOn === null) {
    issues.push(
      issue('deliveredOn', 'required', 'S5.1(2): a consumer-market warranty starts once the goods reached the agreed place and were accepted; record the delivery date too.'),
    );
  }
  throwIfIssues('S5.1 service archive (售后档案)', issues);
  return {
    customer: { organisation: organisation as string, contact: contact as string, phone: phone as string, siteAddress: siteAddress as string },
    product: product as string,
    serialNo: serialNo as string,
    contractNo: contractNo as string,
    projectName,
    market: market as Market,
    deliveredOn,
    acceptedOn,
    warrantyPeriod: warrantyPeriod as WarrantyPeriod,
    notes,
  };
}

// ───────────────────────── the warranty ─────────────────────────

type WarrantyBasis = Pick<ServiceArchiveFields, 'market' | 'deliveredOn' | 'acceptedOn' | 'warrantyPeriod'>;

/** S5.1: the first day of the warranty, or null while the event that starts it is not recorded. */
export function warrantyStartOf(archive: WarrantyBasis): CalendarDate | null {
  if (archive.acceptedOn === null) return null;
  if (archive.market === 'government_procurement') return archive.acceptedOn;
  if (archive.deliveredOn === null) return null;
  // both must have happened: the later of delivery and acceptance
  return archive.acceptedOn > archive.deliveredOn ? archive.acceptedOn : archive.deliveredOn;
}

/** S5.1: the last day of the warranty (inclusive), or null while the start is unknown. */
export function warrantyEndOf(archive: WarrantyBasis): CalendarDate | null {
  const start = warrantyStartOf(archive);
  return start === null ? null : lastDayOfPeriod(start, periodMonths(archive.warrantyPeriod));
}

export const warrantyStates = [
  /** the date falls between start and end, both included */
  'in_warranty',
  /** the date is after the last day */
  'expired',
  /** the start is not recorded yet (no acceptance), or the date is before it */
  'not_started',
] as const;
export type WarrantyState = (typeof warrantyStates)[number];

export interface WarrantyStatus {
  inWarranty: boolean;
  state: WarrantyState;
  onDate: CalendarDate;
  start: CalendarDate | null;
  end: CalendarDate | null;
  market: Market;
  period: WarrantyPeriod;
  /** in warranty: days left after `onDate` (0 on the last day); expired: days since the end (negative); else null */
  daysToEnd: number | null;
  /** why, in both languages, citing the seed's clause */
  reason: Bilingual & { clause: string; seed: string };
}

/** S5.1, S5.3: is the product in warranty on a Shanghai calendar date, and why. */
export function warrantyStatus(archive: WarrantyBasis, onDate: CalendarDate): WarrantyStatus {
  if (!isCalendarDate(onDate)) {
    throw new AppError('VALIDATION_FAILED', `The date to check the warranty on must be a date like 2026-03-01; "${onDate}" is not one.`, {
      reason: 'on_date_invalid',
      field: 'onDate',
    });
  }
  const clause = warrantyClauses[archive.market];
  const start = warrantyStartOf(archive);
  const end = warrantyEndOf(archive);
  const period = periodLabel(archive.warrantyPeriod);
  const cite = { clause: clause.id, seed: clause.seed };
  const base = { onDate, start, end, market: archive.market, period: archive.warrantyPeriod };
  if (start === null || end === null) {
    const missing: Bilingual =
      archive.market === 'government_procurement'
        ? { 'zh-CN': '档案中尚无政府验收合格日期', en: "the archive has no date of the government's acceptance yet" }
        : archive.acceptedOn === null
          ? { 'zh-CN': '档案中尚无对方验收无误的日期', en: "the archive has no date of the customer's acceptance yet" }
          : { 'zh-CN': '档案中尚无货物到达指定地点的日期', en: 'the archive has no date of delivery to the agreed place yet' };
    return {
      ...base,
      inWarranty: false,
      state: 'not_started',
      daysToEnd: null,
      reason: {
        'zh-CN': `保修尚未起算：${marketLabels[archive.market]['zh-CN']}的保修自${clause.startsOn['zh-CN']}起算，${missing['zh-CN']}。（${clause.id}）`,
        en: `The warranty has not started: for ${marketLabels[archive.market].en.toLowerCase()} it runs from ${clause.startsOn.en}, and ${missing.en}. (${clause.id})`,
        ...cite,
      },
    };
  }
  const span = {
    'zh-CN': `${marketLabels[archive.market]['zh-CN']}自${clause.startsOn['zh-CN']}（${start}）起算，合同保修期${period['zh-CN']}，至${end}止（含当日）`,
    en: `${marketLabels[archive.market].en}: the warranty runs from ${clause.startsOn.en} (${start}) for ${period.en} per the contract, to ${end} inclusive`,
  };
  if (onDate < start) {
    return {
      ...base,
      inWarranty: false,
      state: 'not_started',
      daysToEnd: null,
      reason: {
        'zh-CN': `保修尚未起算：${onDate}早于起算日。${span['zh-CN']}。（${clause.id}）`,
        en: `The warranty has not started on ${onDate}. ${span.en}. (${clause.id})`,
        ...cite,
      },
    };
  }
  const daysToEnd = calendarDaysBetween(onDate, end);
  if (onDate > end) {
    return {
      ...base,
      inWarranty: false,
      state: 'expired',
      daysToEnd,
      reason: {
        'zh-CN': `已过保修期（超出${-daysToEnd}天）：${span['zh-CN']}。（${clause.id}）`,
        en: `Out of warranty (${-daysToEnd} day${daysToEnd === -1 ? '' : 's'} past the end): ${span.en}. (${clause.id})`,
        ...cite,
      },
    };
  }
  return {
    ...base,
    inWarranty: true,
    state: 'in_warranty',
    daysToEnd,
    reason: {
      'zh-CN': `在保修期内（剩余${daysToEnd}天）：${span['zh-CN']}。（${clause.id}）`,
      en: `In warranty (${daysToEnd} day${daysToEnd === 1 ? '' : 's'} left after today): ${span.en}. (${clause.id})`,
      ...cite,
    },
  };
}

// ───────────────────────── create, amend, search ─────────────────────────

/** S5.1, S5.2: opens an archive from validated fields; the warranty start and end are computed. */
export function createArchive(input: ServiceArchiveInput, ctx: ServiceContext): ServiceArchive {
  requireServiceRole('service archive', archiveActionRoles, 'create', ctx.actor);
  const fields = validateArchive(input, shanghaiDate(ctx.now));
  const at = ctx.now.toISOString();
  return {
    ...fields,
    warrantyStart: warrantyStartOf(fields),
    warrantyEnd: warrantyEndOf(fields),
    createdAt: at,
    createdBy: { userId: ctx.actor.userId, name: ctx.actor.name },
    updatedAt: at,
  };
}

export type ServiceArchivePatch = Partial<Omit<ServiceArchiveInput, 'customer'>> & { customer?: Partial<ArchiveCustomerInput> | undefined };

export interface ArchiveChange {
  archive: ServiceArchive;
  /** the fields whose value changed, dotted (customer.phone) */
  changed: string[];
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

function flatten(fields: ServiceArchiveFields): Record<string, unknown> {
  const { customer, ...rest } = fields;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(customer)) out[`customer.${k}`] = v;
  for (const [k, v] of Object.entries(rest)) out[k] = v;
  return out;
}

function fieldsOf(archive: ServiceArchive): ServiceArchiveFields {
  const { customer, product, serialNo, contractNo, projectName, market, deliveredOn, acceptedOn, warrantyPeriod, notes } = archive;
  return { customer, product, serialNo, contractNo, projectName, market, deliveredOn, acceptedOn, warrantyPeriod, notes };
}

/**
 * S5.2: adds to or corrects an archive (the acceptance date once it passed, a
 * new contact). The whole archive is validated again; the warranty is
 * recomputed. Nothing changed is an error, so an empty save leaves no event.
 */
export function amendArchive(archive: ServiceArchive, patch: ServiceArchivePatch, ctx: ServiceContext): ArchiveChange {
  requireServiceRole('service archive', archiveActionRoles, 'amend', ctx.actor);
  const current = fieldsOf(archive);
  const merged: ServiceArchiveInput = {
    ...current,
    ...Object.fromEntries(Object.entries(patch).filter(([k, v]) => k !== 'customer' && v !== undefined)),
    customer: { ...current.customer, ...Object.fromEntries(Object.entries(patch.customer ?? {}).filter(([, v]) => v !== undefined)) },
  } as ServiceArchiveInput;
  const fields = validateArchive(merged, shanghaiDate(ctx.now));
  const a = flatten(current);
  const b = flatten(fields);
  const changed = Object.keys(b).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
  if (changed.length === 0) {
    throw new AppError('VALIDATION_FAILED', 'S5.2: the amendment changes nothing in the archive.', { reason: 'nothing_changed' });
  }
  return {
    archive: {
      ...archive,
      ...fields,
      warrantyStart: warrantyStartOf(fields),
      warrantyEnd: warrantyEndOf(fields),
      updatedAt: ctx.now.toISOString(),
    },
    changed,
    before: Object.fromEntries(changed.map((k) => [k, a[k]])),
    after: Object.fromEntries(changed.map((k) => [k, b[k]])),
  };
}

export interface ArchiveHit<T> {
  item: T;
  /** what matched, best first */
  matched: ('serial_exact' | 'serial' | 'phone' | 'customer' | 'site' | 'contract' | 'product')[];
  score: number;
}

function folded(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

/**
 * S5.3: finds a caller's product by customer, serial number, phone or site
 * (the clerk types what the caller says). Best matches first; a query shorter
 * than two characters finds nothing.
 */
export function searchArchives<T extends { archive: ServiceArchive }>(items: readonly T[], query: string): ArchiveHit<T>[] {
  const q = folded(query);
  if (charCount(q) < 2) return [];
  // serials are compared without their separators: callers read 'FJ2-0009' as 'FJ2 0009'
  const compact = (serial: string): string => serial.replace(/[-/._]/g, '');
  const code = compact(normalizeCode(query));
  const digits = query.replace(/\D/g, '');
  const hits: ArchiveHit<T>[] = [];
  for (const item of items) {
    const a = item.archive;
    const matched: ArchiveHit<T>['matched'] = [];
    let score = 0;
    const serial = compact(a.serialNo);
    if (code.length > 0 && serial === code) {
      matched.push('serial_exact');
      score += 100;
    } else if (code.length >= 3 && serial.includes(code)) {
      matched.push('serial');
      score += 60;
    }
    if (digits.length >= 4 && a.customer.phone.replace(/\D/g, '').includes(digits)) {
      matched.push('phone');
      score += 50;
    }
    if (folded(a.customer.organisation).includes(q) || folded(a.customer.contact).includes(q)) {
      matched.push('customer');
      score += 40;
    }
    if (folded(a.customer.siteAddress).includes(q)) {
      matched.push('site');
      score += 30;
    }
    if (folded(a.contractNo).includes(q)) {
      matched.push('contract');
      score += 20;
    }
    if (folded(a.product).includes(q)) {
      matched.push('product');
      score += 10;
    }
    if (score > 0) hits.push({ item, matched, score });
  }
  return hits.sort((x, y) => y.score - x.score);
}
