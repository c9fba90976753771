/**
 * A device sale (S4): the phone by its IMEI or MEID, its brand and model, the
 * purchase and delivery dates, the accessories (each original or a gift: S4.2
 * 赠送附件不作保修) and the buyer's region, which picks the service points of the
 * warranty card (S4.1). `readDeviceSale` checks what an agent or a connector
 * sends before it is stored.
 */
import { AppError } from '../errors.ts';
import { issue, readText, throwIfIssues, type FieldIssue } from '../workbench/fields.ts';
import { itemOrigins, type ItemOrigin } from './decide.ts';
import { parseDeviceId, type DeviceId } from './device-ids.ts';
import { isCalendarDate, shanghaiDateOf } from './periods.ts';
import { accessoryKinds, type AccessoryKind } from './policy.ts';

/** What may come in the box: the 三包 accessories of S4.2, and a data cable and others, which 三包 does not cover. */
export const deviceAccessoryKinds = [...accessoryKinds, 'data_cable', 'other'] as const;
export type DeviceAccessoryKind = (typeof deviceAccessoryKinds)[number];

export interface DeviceAccessory {
  kind: DeviceAccessoryKind;
  /** e.g. 原装 22.5W 充电器; null when the kind says enough */
  name: string | null;
  origin: ItemOrigin;
}

export interface DeviceSaleInput {
  orderNo?: string | null | undefined;
  brand: string;
  model: string;
  /** the IMEI or MEID as typed */
  deviceId: string;
  purchaseDate: string;
  deliveryDate?: string | null | undefined;
  /** 开具发票之日: the 三包 periods count from it when given (issue 13) */
  invoiceDate?: string | null | undefined;
  region: string;
  buyerName?: string | null | undefined;
  buyerPhone?: string | null | undefined;
  accessories?: readonly { kind: DeviceAccessoryKind; name?: string | null | undefined; origin: ItemOrigin }[] | undefined;
}

export interface DeviceSale {
  orderNo: string | null;
  brand: string;
  model: string;
  device: DeviceId;
  purchaseDate: string;
  deliveryDate: string | null;
  invoiceDate: string | null;
  region: string;
  buyerName: string | null;
  buyerPhone: string | null;
  accessories: DeviceAccessory[];
}

/**
 * Checks a device sale. A wrong IMEI/MEID is refused first and on its own, with
 * the parser's reason (and, for a typing error, the check digit it calls for),
 * so a form can say exactly what is wrong with the number.
 */
export function readDeviceSale(input: DeviceSaleInput, now: Date): DeviceSale {
  const parsed = parseDeviceId(typeof input.deviceId === 'string' ? input.deviceId : '');
  if (!parsed.ok) {
    throw new AppError('VALIDATION_FAILED', `The IMEI or MEID (串号) is not valid: ${parsed.message}`, {
      field: 'deviceId',
      reason: parsed.reason,
      normalized: parsed.normalized,
      ...(parsed.expected === undefined ? {} : { expected: parsed.expected }),
      ...(parsed.length === undefined ? {} : { length: parsed.length }),
    });
  }
  const issues: FieldIssue[] = [];
  const orderNo = readText(issues, input.orderNo, { field: 'orderNo', label: 'The order number (订单编号)', min: 0, max: 64 });
  const brand = readText(issues, input.brand, { field: 'brand', label: 'The brand (品牌)', min: 1, max: 40 });
  const model = readText(issues, input.model, { field: 'model', label: 'The model (型号)', min: 1, max: 60 });
  const region = readText(issues, input.region, { field: 'region', label: "The buyer's region (地区)", min: 2, max: 200 });
  const buyerName = readText(issues, input.buyerName, { field: 'buyerName', label: "The buyer's name", min: 0, max: 64 });
  const buyerPhone = readText(issues, input.buyerPhone, { field: 'buyerPhone', label: "The buyer's phone", min: 0, max: 20 });
  if (buyerPhone !== null && !/^\+?[0-9-]{6,20}$/.test(buyerPhone)) issues.push(issue('buyerPhone', 'invalid', 'A phone number is 6–20 digits.'));
  const today = shanghaiDateOf(now);
  const purchaseDate = typeof input.purchaseDate === 'string' && isCalendarDate(input.purchaseDate) ? input.purchaseDate : null;
  if (purchaseDate === null) issues.push(issue('purchaseDate', 'invalid', 'The purchase date must be a calendar date (YYYY-MM-DD).'));
  else if (purchaseDate > today) issues.push(issue('purchaseDate', 'in_future', `The purchase date ${purchaseDate} is after today (${today}).`));
  let deliveryDate: string | null = null;
  if (input.deliveryDate !== undefined && input.deliveryDate !== null && input.deliveryDate !== '') {
    if (typeof input.deliveryDate !== 'string' || !isCalendarDate(input.deliveryDate)) {
      issues.push(issue('deliveryDate', 'invalid', 'The delivery date must be a calendar date (YYYY-MM-DD).'));
    } else {
      deliveryDate = input.deliveryDate;
      if (deliveryDate > today) issues.push(issue('deliveryDate', 'in_future', `The delivery date ${deliveryDate} is after today (${today}).`));
      if (purchaseDate && deliveryDate < purchaseDate) {
        issues.push(issue('deliveryDate', 'before_purchase', `The delivery (${deliveryDate}) cannot come before the purchase (${purchaseDate}).`));
      }
    }
  }
  let invoiceDate: string | null = null;
  if (input.invoiceDate !== undefined && input.invoiceDate !== null && input.invoiceDate !== '') {
    if (typeof input.invoiceDate !== 'string' || !isCalendarDate(input.invoiceDate)) {
      issues.push(issue('invoiceDate', 'invalid', 'The invoice date must be a calendar date (YYYY-MM-DD).'));
    } else {
      invoiceDate = input.invoiceDate;
      if (invoiceDate > today) issues.push(issue('invoiceDate', 'in_future', `The invoice date ${invoiceDate} is after today (${today}).`));
      if (purchaseDate && invoiceDate < purchaseDate) {
        issues.push(issue('invoiceDate', 'before_purchase', `The invoice (${invoiceDate}) cannot come before the purchase (${purchaseDate}).`));
      }
    }
  }
  const accessories: DeviceAccessory[] = [];
  const list = input.accessories ?? [];
  if (list.length > 20) issues.push(issue('accessories', 'too_many', 'A device lists at most 20 accessories.', 20));
  list.slice(0, 20).forEach((a, i) => {
    const field = `accessories[${i}]`;
    if (!(deviceAccessoryKinds as readonly string[]).includes(a?.kind)) {
      issues.push(issue(`${field}.kind`, 'unknown_value', `An accessory is one of ${deviceAccessoryKinds.join(', ')}.`));
      return;
    }
    if (!(itemOrigins as readonly string[]).includes(a.origin)) {
      issues.push(issue(`${field}.origin`, 'unknown_value', 'An accessory is original (原装) or a gift (赠品).'));
      return;
    }
    const name = readText(issues, a.name, { field: `${field}.name`, label: "The accessory's name", min: 0, max: 60 });
    accessories.push({ kind: a.kind, name, origin: a.origin });
  });
  throwIfIssues('S4 the device sale', issues);
  return {
    orderNo,
    brand: brand as string,
    model: model as string,
    device: { kind: parsed.kind, value: parsed.value },
    purchaseDate: purchaseDate as string,
    deliveryDate,
    invoiceDate,
    region: region as string,
    buyerName,
    buyerPhone,
    accessories,
  };
}

/** The origin of an item of the sale: the host is original; an accessory as listed, original when the sale does not list it. */
export function originOfPart(accessories: readonly DeviceAccessory[], part: 'host' | AccessoryKind): ItemOrigin {
  if (part === 'host') return 'original';
  return accessories.find((a) => a.kind === part)?.origin ?? 'original';
}

/**
 * A region or address cut after its district (区/县/旗, or a county-level 市
 * after the prefecture): '河北省石家庄市长安区中山东路 1 号' → '河北省石家庄市长安区'.
 * `rest` is what was cut off, empty when the region stopped there.
 */
export function splitRegion(region: string): { district: string; rest: string } {
  const text = region.trim();
  // the province (省, 自治区) and the prefecture (市, 自治州, 地区, 盟) come first, then the district
  const m = /^((?:[^省]{2,3}省|.{2,10}?自治区|北京市|天津市|上海市|重庆市)?(?:.{1,10}?(?:自治州|地区|盟|市))?(?:.{1,10}?(?:区|县|旗|市))?)/u.exec(text);
  const district = m?.[1] ?? '';
  return district.length === 0 ? { district: text, rest: '' } : { district, rest: text.slice(district.length) };
}
