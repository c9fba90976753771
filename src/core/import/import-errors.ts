/**
 * Why an imported row is refused, in words: each error names its column (the
 * header as the file writes it) and says what is wrong and what to do, in
 * zh-CN and en. The codes are for programs; people read the messages.
 */

export const importErrorCodes = [
  'required',
  'bad_date',
  'bad_amount',
  'bad_quantity',
  'unknown_status',
  'unknown_value',
  'exchange_not_supported',
  'phone_in_address',
  'bad_phone',
  'formula',
  'bad_cell',
  'bad_id',
  'id_rounded',
  'bad_chars',
  'too_long',
  'duplicate',
  'order_rows_apart',
  'order_values_differ',
  'same_order_error',
  'unit_price_missing',
  'order_missing',
  'conflict',
] as const;
export type ImportErrorCode = (typeof importErrorCodes)[number];

export interface ImportMessage {
  'zh-CN': string;
  en: string;
}

/** One reason a row is refused. */
export interface RowError {
  code: ImportErrorCode;
  /** the column's header as written in the file ('' when the row as a whole is meant) */
  column: string;
  message: ImportMessage;
}

type Vars = { column: string; value?: string; row?: number; expected?: string; expectedEn?: string; other?: string };

/** Quoted for a message: cut to 40 characters. */
function shown(value: string | undefined): string {
  const v = value ?? '';
  return Array.from(v).length > 40 ? `${Array.from(v).slice(0, 40).join('')}…` : v;
}

const templates: Record<ImportErrorCode, (v: Vars) => ImportMessage> = {
  required: (v) => ({ 'zh-CN': `“${v.column}”是空的。这一栏必须填写。`, en: `"${v.column}" is empty; it is required.` }),
  bad_date: (v) => ({
    'zh-CN': `“${shown(v.value)}”不是日期时间。请写成 2026-11-01 10:30:00 这样的格式。`,
    en: `"${shown(v.value)}" is not a date and time; write it as 2026-11-01 10:30:00.`,
  }),
  bad_amount: (v) => ({
    'zh-CN': `“${shown(v.value)}”不是金额。请写成 12.30 这样的数字，最多两位小数。`,
    en: `"${shown(v.value)}" is not an amount; write it as 12.30, with at most two decimals.`,
  }),
  bad_quantity: (v) => ({ 'zh-CN': `“${shown(v.value)}”不是数量。请写成 1、2 这样的整数。`, en: `"${shown(v.value)}" is not a quantity; write a whole number such as 1 or 2.` }),
  unknown_status: (v) => ({
    'zh-CN': `不认识的状态“${shown(v.value)}”。请用平台导出时的原文，例如“${v.expected ?? ''}”。`,
    en: `Unknown status "${shown(v.value)}"; use the words of the platform's export, such as "${v.expectedEn ?? v.expected ?? ''}".`,
  }),
  unknown_value: (v) => ({
    'zh-CN': `“${v.column}”里的“${shown(v.value)}”看不懂。可以写：${v.expected ?? ''}。`,
    en: `"${shown(v.value)}" in "${v.column}" is not understood; write one of: ${v.expectedEn ?? v.expected ?? ''}.`,
  }),
  exchange_not_supported: (v) => ({ 'zh-CN': `“${shown(v.value)}”是换货或维修，暂不支持导入。请在平台上处理。`, en: `"${shown(v.value)}" is an exchange or repair, which cannot be imported yet; handle it on the platform.` }),
  phone_in_address: (v) => ({
    'zh-CN': `收货地址里是一个电话号码（${shown(v.value)}）。请检查这一列是不是对应错了。`,
    en: `The address column holds a phone number (${shown(v.value)}); check that the columns are matched right.`,
  }),
  bad_phone: (v) => ({ 'zh-CN': `“${shown(v.value)}”不是电话号码。`, en: `"${shown(v.value)}" is not a phone number.` }),
  formula: (v) => ({
    'zh-CN': `这一格是公式（${shown(v.value)}），公式不导入。请把表格里的公式改成数值后再导入。`,
    en: `This cell is a formula (${shown(v.value)}); formulas are not imported. Replace it with its value and import again.`,
  }),
  bad_cell: (v) => ({ 'zh-CN': `这一格是表格的错误值（${shown(v.value)}）。`, en: `This cell holds a spreadsheet error (${shown(v.value)}).` }),
  bad_id: (v) => ({ 'zh-CN': `“${shown(v.value)}”不是编号。编号只由数字组成。`, en: `"${shown(v.value)}" is not a number of the platform; it has digits only.` }),
  id_rounded: (v) => ({
    'zh-CN': `编号被表格改成了数字（${shown(v.value)}），后几位已经丢失。请在导出或另存时把这一列设为文本。`,
    en: `The spreadsheet turned this number into a rounded figure (${shown(v.value)}); its last digits are lost. Keep the column as text when exporting.`,
  }),
  bad_chars: (v) => ({
    'zh-CN': `“${v.column}”里有无法识别的字符。文件的编码可能不对，请重新导出。`,
    en: `"${v.column}" holds characters that cannot be read; the file's encoding may be wrong. Export it again.`,
  }),
  too_long: (v) => ({ 'zh-CN': `“${v.column}”太长了（最多 ${v.expected ?? ''} 个字）。`, en: `"${v.column}" is too long (at most ${v.expected ?? ''} characters).` }),
  duplicate: (v) => ({ 'zh-CN': `和第 ${v.row ?? 0} 行是同一个编号，这一行没有导入。`, en: `The same number as row ${v.row ?? 0}; this row is not imported.` }),
  order_rows_apart: (v) => ({
    'zh-CN': `第 ${v.row ?? 0} 行也是这个订单，但中间隔着别的订单。同一订单的各行要挨在一起，请按订单编号排序后再导入。`,
    en: `Row ${v.row ?? 0} belongs to this order too, with other orders in between; keep an order's rows together (sort by order number) and import again.`,
  }),
  order_values_differ: (v) => ({
    'zh-CN': `同一订单的“${v.column}”和第 ${v.row ?? 0} 行不一样（${shown(v.value)} 和 ${shown(v.other)}）。`,
    en: `"${v.column}" differs from row ${v.row ?? 0} of the same order (${shown(v.value)} and ${shown(v.other)}).`,
  }),
  same_order_error: (v) => ({ 'zh-CN': `同一订单的第 ${v.row ?? 0} 行有错误，整个订单都没有导入。`, en: `Row ${v.row ?? 0} of the same order has an error; the whole order is not imported.` }),
  unit_price_missing: () => ({
    'zh-CN': `这个订单有多行商品，但表格里没有单价。请加上“价格”一列再导入。`,
    en: `This order has several lines but the file has no unit price; add the price column and import again.`,
  }),
  order_missing: (v) => ({
    'zh-CN': `订单 ${shown(v.value)} 还不在系统里。请先导入订单报表，再导入退款。`,
    en: `Order ${shown(v.value)} is not in shouhou yet; import the order report first, then the refunds.`,
  }),
  conflict: () => ({ 'zh-CN': `这条记录刚被同事修改，没有导入。请稍后再导入一次。`, en: `A colleague changed this record a moment ago; it was not imported. Import the file again later.` }),
};

/** An error with its message in both languages. */
export function rowError(code: ImportErrorCode, vars: Vars): RowError {
  return { code, column: vars.column, message: templates[code](vars) };
}
