/** S5.1, S5.2 the service archive (售后档案) and the warranty it answers for. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import {
  amendArchive,
  archiveActionRoles,
  createArchive,
  normalizePhone,
  searchArchives,
  validateArchive,
  warrantyEndOf,
  warrantyStartOf,
  warrantyStatus,
  type ServiceArchive,
  type ServiceArchiveInput,
} from './archive.ts';
import { addCalendarDays, lastDayOfPeriod } from './dates.ts';
import type { ServiceContext } from './service-context.ts';

const now = new Date('2026-03-02T02:00:00.000Z'); // 2026-03-02 10:00 Shanghai
const clerk: ServiceContext = { now, actor: { userId: 11, role: 'clerk', name: '王内勤' } };
const lead: ServiceContext = { now, actor: { userId: 21, role: 'field_lead', name: '李工' } };

const government: ServiceArchiveInput = {
  customer: { organisation: '大连市某区教育局', contact: '张科长', phone: '0411-8765 4321', siteAddress: '辽宁省大连市某区学府路 8 号' },
  product: '多媒体教学一体机 JX-86',
  serialNo: ' jx86-2025-00017 ',
  contractNo: '大政采 2025-118',
  projectName: '智慧教室项目',
  market: 'government_procurement',
  deliveredOn: '2025-03-01',
  acceptedOn: '2025-03-15',
  warrantyPeriod: { count: 1, unit: 'years' },
};

const consumer: ServiceArchiveInput = {
  customer: { organisation: '鞍山某物流公司', contact: '刘经理', phone: '+86 138 1234 5678', siteAddress: '辽宁省鞍山市铁东区仓储路 2 号' },
  product: '自动分拣机 FJ-2',
  serialNo: 'FJ2-0009',
  contractNo: 'HT-2024-031',
  market: 'consumer',
  deliveredOn: '2024-01-29',
  acceptedOn: '2024-01-31',
  warrantyPeriod: { count: 1, unit: 'months' },
};

function details(fn: () => unknown): { code: string; reason: string; issues?: { field: string; reason: string }[]; [k: string]: unknown } {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return { code: e.code, message: e.message, reason: '', ...e.details } as never;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('normalizePhone', () => {
  it('S5.1 mobiles, landlines with area codes, 400 numbers; full-width and +86 folded', () => {
    expect(normalizePhone('138 1234 5678')).toBe('13812345678');
    expect(normalizePhone('+86 13812345678')).toBe('13812345678');
    expect(normalizePhone('１３８１２３４５６７８')).toBe('13812345678');
    expect(normalizePhone('0412-6917788')).toBe('0412-6917788'); // the seed's hotline
    expect(normalizePhone('(0412) 6917788')).toBe('0412-6917788');
    expect(normalizePhone('010-62345678')).toBe('010-62345678');
    expect(normalizePhone('02188889999')).toBe('021-88889999');
    expect(normalizePhone('0411-87654321转808')).toBe('0411-87654321转808');
    expect(normalizePhone('400-691-7788')).toBe('4006917788');
  });

  it('S5.1 refuses what is no Chinese phone number', () => {
    for (const bad of ['010-12345678', '12345', '2345678', '0412-123', '1381234567', '23812345678', '13812345678转1', 'abc', '0412-0917788']) {
      expect(normalizePhone(bad), bad).toBeNull();
    }
  });
});

describe('validateArchive', () => {
  it('S5.1 accepts a full archive, normalizing the serial number and the phone', () => {
    const fields = validateArchive(government, '2026-03-02');
    expect(fields.serialNo).toBe('JX86-2025-00017');
    expect(fields.customer.phone).toBe('0411-87654321');
    expect(fields.projectName).toBe('智慧教室项目');
    expect(fields.notes).toBeNull();
  });

  it('S5.1 names every wrong field at once', () => {
    const d = details(() =>
      validateArchive(
        {
          customer: { organisation: '', contact: ' ', phone: '123', siteAddress: '大连' },
          product: '',
          serialNo: '!',
          contractNo: '',
          market: 'retail' as never,
          deliveredOn: '2025-02-30',
          acceptedOn: '2027-01-01',
          warrantyPeriod: { count: 0, unit: 'months' },
        },
        '2026-03-02',
      ),
    );
    expect(d.code).toBe('VALIDATION_FAILED');
    expect(d.issues?.map((i) => i.reason)).toEqual([
      'organisation_required',
      'contact_required',
      'phone_invalid_format',
      'site_address_too_short',
      'product_required',
      'serial_no_invalid_format',
      'contract_no_required',
      'market_unknown_value',
      'delivered_on_invalid_date',
      'accepted_on_in_future',
      'count_not_positive',
    ]);
  });

  it('S5.1 acceptance cannot precede delivery', () => {
    const d = details(() => validateArchive({ ...government, deliveredOn: '2025-03-20', acceptedOn: '2025-03-15' }, '2026-03-02'));
    expect(d.reason).toBe('accepted_on_before_delivery');
  });

  it('S5.1(2) a consumer warranty needs the delivery to the agreed place as well as the acceptance', () => {
    const d = details(() => validateArchive({ ...consumer, deliveredOn: null }, '2026-03-02'));
    expect(d.reason).toBe('delivered_on_required');
    expect(() => validateArchive({ ...government, deliveredOn: null }, '2026-03-02')).not.toThrow();
  });

  it('S5.1 the period from the contract: whole months or years, at most 30 years', () => {
    expect(details(() => validateArchive({ ...government, warrantyPeriod: { count: 1.5, unit: 'years' } }, '2026-03-02')).reason).toBe('count_not_integer');
    expect(details(() => validateArchive({ ...government, warrantyPeriod: { count: 31, unit: 'years' } }, '2026-03-02')).reason).toBe('count_too_long');
    expect(details(() => validateArchive({ ...government, warrantyPeriod: { count: 361, unit: 'months' } }, '2026-03-02')).reason).toBe('count_too_long');
    expect(details(() => validateArchive({ ...government, warrantyPeriod: { count: 2, unit: 'weeks' as never } }, '2026-03-02')).reason).toBe(
      'unit_unknown_value',
    );
    expect(details(() => validateArchive({ ...government, warrantyPeriod: undefined as never }, '2026-03-02')).reason).toBe('warranty_period_required');
  });
});

describe('warrantyStatus', () => {
  const gov = validateArchive(government, '2026-03-02');
  const con = validateArchive(consumer, '2026-03-02');

  it('S5.1(1) government procurement runs from the acceptance date, the start and end days included', () => {
    expect(warrantyStartOf(gov)).toBe('2025-03-15');
    expect(warrantyEndOf(gov)).toBe('2026-03-14');
    expect(warrantyStatus(gov, '2025-03-15')).toMatchObject({ inWarranty: true, state: 'in_warranty', start: '2025-03-15', end: '2026-03-14' });
    expect(warrantyStatus(gov, '2026-03-14')).toMatchObject({ inWarranty: true, daysToEnd: 0 });
    expect(warrantyStatus(gov, '2026-03-15')).toMatchObject({ inWarranty: false, state: 'expired', daysToEnd: -1 });
    // delivered earlier, but the government's acceptance starts it
    expect(warrantyStatus(gov, '2025-03-10')).toMatchObject({ inWarranty: false, state: 'not_started' });
  });

  it('S5.1(2) consumer market runs from delivery and acceptance; Jan 31 + 1 month ends Feb 29 in a leap year', () => {
    expect(warrantyStartOf(con)).toBe('2024-01-31');
    expect(warrantyEndOf(con)).toBe('2024-02-29');
    expect(warrantyStatus(con, '2024-02-29').inWarranty).toBe(true);
    expect(warrantyStatus(con, '2024-03-01').state).toBe('expired');
    const nonLeap = validateArchive({ ...consumer, deliveredOn: '2025-01-31', acceptedOn: '2025-01-31' }, '2026-03-02');
    expect(warrantyEndOf(nonLeap)).toBe('2025-02-28');
  });

  it('S5.1 the reason says why in both languages and cites the clause', () => {
    const s = warrantyStatus(gov, '2026-03-01');
    expect(s.reason.clause).toBe('S5.1(1)');
    expect(s.reason.seed).toContain('政府验收合格之日开始起算');
    expect(s.reason['zh-CN']).toBe(
      '在保修期内（剩余13天）：政府采购项目自政府验收合格之日（2025-03-15）起算，合同保修期1年，至2026-03-14止（含当日）。（S5.1(1)）',
    );
    expect(s.reason.en).toContain("from the date the government's acceptance passed (2025-03-15) for 1 year per the contract, to 2026-03-14 inclusive");
    const expired = warrantyStatus(con, '2024-03-11');
    expect(expired.reason.clause).toBe('S5.1(2)');
    expect(expired.reason['zh-CN']).toContain('已过保修期（超出11天）');
    expect(expired.reason.en).toContain('Out of warranty (11 days past the end)');
  });

  it('S5.1 no acceptance recorded yet: the warranty has not started, and the reason names what is missing', () => {
    const pending = validateArchive({ ...government, acceptedOn: null }, '2026-03-02');
    const s = warrantyStatus(pending, '2026-03-01');
    expect(s).toMatchObject({ inWarranty: false, state: 'not_started', start: null, end: null, daysToEnd: null });
    expect(s.reason['zh-CN']).toContain('档案中尚无政府验收合格日期');
    const consumerPending = validateArchive({ ...consumer, acceptedOn: null }, '2026-03-02');
    expect(warrantyStatus(consumerPending, '2026-03-01').reason.en).toContain("no date of the customer's acceptance");
  });

  it('S5.1 refuses a malformed date to check on', () => {
    expect(details(() => warrantyStatus(gov, '2026-3-1')).reason).toBe('on_date_invalid');
  });

  it('S5.1 property: in warranty exactly from start to end, both included', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1995-01-01T00:00:00Z'), max: new Date('2026-03-01T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: -400, max: 4000 }),
        fc.constantFrom('government_procurement' as const, 'consumer' as const),
        (d, months, offset, market) => {
          const start = d.toISOString().slice(0, 10);
          const archive = { market, deliveredOn: start, acceptedOn: start, warrantyPeriod: { count: months, unit: 'months' as const } };
          const end = lastDayOfPeriod(start, months);
          const on = addCalendarDays(start, offset);
          const s = warrantyStatus(archive, on);
          expect(s.inWarranty).toBe(on >= start && on <= end);
          expect(s.state).toBe(on < start ? 'not_started' : on > end ? 'expired' : 'in_warranty');
        },
      ),
    );
  });
});

describe('createArchive and amendArchive', () => {
  it('S5.2 the clerk opens the archive; the warranty start and end are stored with it', () => {
    const a = createArchive(government, clerk);
    expect(a).toMatchObject({ warrantyStart: '2025-03-15', warrantyEnd: '2026-03-14', createdBy: { userId: 11, name: '王内勤' } });
    expect(a.createdAt).toBe(now.toISOString());
  });

  it('S5.2 only the clerk (or a supervisor) opens archives; leads help complete them', () => {
    expect(archiveActionRoles.create).toEqual(['clerk', 'supervisor']);
    expect(details(() => createArchive(government, lead))).toMatchObject({ code: 'FORBIDDEN', reason: 'role_not_allowed' });
    const leadership: ServiceContext = { now, actor: { userId: 31, role: 'leadership', name: '赵总' } };
    const a = createArchive({ ...government, acceptedOn: null }, clerk);
    expect(details(() => amendArchive(a, { acceptedOn: '2025-03-20' }, leadership)).code).toBe('FORBIDDEN');
  });

  it('S5.2 a lead adds the acceptance date once it passed; the warranty is recomputed and the change listed', () => {
    const a = createArchive({ ...government, acceptedOn: null }, clerk);
    expect(a.warrantyStart).toBeNull();
    const later: ServiceContext = { ...lead, now: new Date('2026-03-03T02:00:00.000Z') };
    const c = amendArchive(a, { acceptedOn: '2025-03-20', customer: { phone: '13900001111' } }, later);
    expect(c.archive).toMatchObject({ acceptedOn: '2025-03-20', warrantyStart: '2025-03-20', warrantyEnd: '2026-03-19', updatedAt: later.now.toISOString() });
    expect(c.archive.customer).toMatchObject({ phone: '13900001111', contact: '张科长' });
    expect(c.changed).toEqual(['customer.phone', 'acceptedOn']);
    expect(c.before).toEqual({ 'customer.phone': '0411-87654321', acceptedOn: null });
    expect(c.after).toEqual({ 'customer.phone': '13900001111', acceptedOn: '2025-03-20' });
  });

  it('S5.2 an amendment is validated as a whole and must change something', () => {
    const a = createArchive(government, clerk);
    expect(details(() => amendArchive(a, { acceptedOn: '2025-02-01' }, clerk)).reason).toBe('accepted_on_before_delivery');
    expect(details(() => amendArchive(a, { serialNo: 'jx86-2025-00017' }, clerk)).reason).toBe('nothing_changed');
  });
});

describe('searchArchives', () => {
  const items: { id: number; archive: ServiceArchive }[] = [
    { id: 1, archive: createArchive(government, clerk) },
    { id: 2, archive: createArchive(consumer, clerk) },
    { id: 3, archive: createArchive({ ...consumer, serialNo: 'FJ2-0010', customer: { ...consumer.customer, organisation: '大连港某公司', siteAddress: '大连市甘井子区' } }, clerk) },
  ];

  it('S5.3 finds the product by serial number, exact match first', () => {
    // typed as heard: spaces for the hyphen
    expect(searchArchives(items, 'fj2 0009').map((h) => [h.item.id, h.matched[0]])).toEqual([[2, 'serial_exact']]);
    expect(searchArchives(items, 'FJ2-0009').map((h) => [h.item.id, h.matched[0]])).toEqual([[2, 'serial_exact']]);
    expect(searchArchives(items, 'fj2-00').map((h) => h.item.id)).toEqual([2, 3]);
  });

  it('S5.3 finds it by customer, phone or site', () => {
    expect(searchArchives(items, '教育局').map((h) => h.item.id)).toEqual([1]);
    expect(searchArchives(items, '1234 5678').map((h) => h.item.id)).toEqual([2, 3]);
    expect(searchArchives(items, '大连').map((h) => h.item.id).sort()).toEqual([1, 3]);
    expect(searchArchives(items, '甘井子').map((h) => [h.item.id, h.matched])).toEqual([[3, ['site']]]);
    expect(searchArchives(items, '大')).toEqual([]);
  });
});
