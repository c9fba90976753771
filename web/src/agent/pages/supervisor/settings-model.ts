/**
 * The shop settings (GET/PATCH /shop/settings, src/core/shop-settings.ts) and
 * the form that edits them: amounts typed in yuan, the return address blank
 * for none; `changedFields` makes the PATCH of only what changed.
 */
import { parseYuan } from '../../../shared/format.ts';

export interface PostageRow {
  province: string;
  styleCategory: string;
  amountFen: number;
}

export interface ShopSettings {
  offersNoReasonReturns: boolean;
  sellerAnswerReceivedHours: number;
  sellerAnswerUnshippedHours: number;
  sellerAnswerShippedHours: number;
  buyerReturnHours: number;
  sellerConfirmHours: number;
  buyerAfterRefusalHours: number;
  interventionWaitHours: number;
  platformDecisionWorkingDays: number;
  returnAddress: string | null;
  /** the return address's consignee and phone: Taobao/Tmall need them to agree a return (issue 12) */
  returnConsignee: string | null;
  returnPhone: string | null;
  unshippedCutoff: string;
  postageTable: { rows: PostageRow[]; defaultFen?: number };
  /** issue 15: the queue's batch agree takes refund-only refunds up to this amount (0: off) */
  batchAgreeLimitFen: number;
}

export const hourFields = [
  'sellerAnswerReceivedHours',
  'sellerAnswerUnshippedHours',
  'sellerAnswerShippedHours',
  'buyerReturnHours',
  'sellerConfirmHours',
  'buyerAfterRefusalHours',
  'interventionWaitHours',
] as const;
export type HourField = (typeof hourFields)[number];

/** The server's bounds (src/contract/schemas.ts ZSettingsPatch). */
export const HOURS_MAX = 24 * 60;
export const RETURN_PHONE = /^[0-9+\-\s()]{7,20}$/;
export const RETURN_CONSIGNEE_MAX = 40;
/** ¥10,000: the most a batch agree may take per refund (BATCH_AGREE_LIMIT_MAX_FEN) */
export const BATCH_AGREE_LIMIT_MAX_FEN = 1_000_000;
export const hoursMin = (field: HourField) => (field === 'interventionWaitHours' ? 0 : 1);

export interface PostageFormRow {
  province?: string;
  styleCategory?: string;
  amount?: string;
}

export type SettingsForm = Omit<ShopSettings, 'returnAddress' | 'returnConsignee' | 'returnPhone' | 'postageTable' | 'batchAgreeLimitFen'> & {
  returnAddress: string;
  returnConsignee: string;
  returnPhone: string;
  postageRows: PostageFormRow[];
  postageDefault: string;
  /** in yuan, as typed */
  batchAgreeLimit: string;
};

const yuanText = (fen: number) => (fen / 100).toFixed(2);

export function toForm(s: ShopSettings): SettingsForm {
  const { returnAddress, returnConsignee, returnPhone, postageTable, batchAgreeLimitFen, ...rest } = s;
  return {
    ...rest,
    returnAddress: returnAddress ?? '',
    returnConsignee: returnConsignee ?? '',
    returnPhone: returnPhone ?? '',
    postageRows: postageTable.rows.map((r) => ({ province: r.province, styleCategory: r.styleCategory, amount: yuanText(r.amountFen) })),
    postageDefault: postageTable.defaultFen === undefined || postageTable.defaultFen === null ? '' : yuanText(postageTable.defaultFen),
    batchAgreeLimit: yuanText(batchAgreeLimitFen ?? 0),
  };
}

function postageOf(form: SettingsForm): ShopSettings['postageTable'] {
  const rows = (form.postageRows ?? []).map((r) => ({
    province: r.province ?? '',
    styleCategory: (r.styleCategory ?? '').trim(),
    amountFen: parseYuan(r.amount ?? '') ?? 0,
  }));
  const defaultFen = form.postageDefault?.trim() ? parseYuan(form.postageDefault) : null;
  return defaultFen === null ? { rows } : { rows, defaultFen };
}

const sameTable = (a: ShopSettings['postageTable'], b: ShopSettings['postageTable']) =>
  JSON.stringify({ rows: a.rows.map((r) => [r.province, r.styleCategory, r.amountFen]), d: a.defaultFen ?? null }) ===
  JSON.stringify({ rows: b.rows.map((r) => [r.province, r.styleCategory, r.amountFen]), d: b.defaultFen ?? null });

/** Only the fields that differ from what was loaded. */
export function changedFields(form: SettingsForm, loaded: ShopSettings): Partial<ShopSettings> {
  const patch: Partial<ShopSettings> = {};
  if (form.offersNoReasonReturns !== loaded.offersNoReasonReturns) patch.offersNoReasonReturns = form.offersNoReasonReturns;
  for (const f of hourFields) if (form[f] !== loaded[f]) patch[f] = form[f];
  if (form.platformDecisionWorkingDays !== loaded.platformDecisionWorkingDays) patch.platformDecisionWorkingDays = form.platformDecisionWorkingDays;
  const address = form.returnAddress.trim() || null;
  if (address !== loaded.returnAddress) patch.returnAddress = address;
  const consignee = (form.returnConsignee ?? '').trim() || null;
  if (consignee !== (loaded.returnConsignee ?? null)) patch.returnConsignee = consignee;
  const phone = (form.returnPhone ?? '').trim() || null;
  if (phone !== (loaded.returnPhone ?? null)) patch.returnPhone = phone;
  if (form.unshippedCutoff !== loaded.unshippedCutoff) patch.unshippedCutoff = form.unshippedCutoff;
  const table = postageOf(form);
  if (!sameTable(table, loaded.postageTable)) patch.postageTable = table;
  const limit = parseYuan(form.batchAgreeLimit ?? '');
  if (limit !== null && limit !== loaded.batchAgreeLimitFen) patch.batchAgreeLimitFen = limit;
  return patch;
}

/** "3天" / "2天12小时" / "18小时": a number of hours as days and hours. */
export function hoursAsDays(hours: number, t: { daysHours: string; daysOnly: string; hoursOnly: string }): string {
  const d = Math.floor(hours / 24);
  const h = hours % 24;
  const fill = (tpl: string) => tpl.replace('{d}', String(d)).replace('{h}', String(h));
  if (d === 0) return fill(t.hoursOnly);
  return h === 0 ? fill(t.daysOnly) : fill(t.daysHours);
}

/** The 34 provincial-level divisions by full name, as the postage table keeps them. */
export { provinceNames } from '../../../../../src/core/workbench/postage.ts';
