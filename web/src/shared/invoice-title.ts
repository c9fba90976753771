/**
 * S1.8 the invoice book: a title that reads like a company, a shop or an institution
 * (…有限公司, …厂, …学校) on a 个人 (individual) invoice is usually a slip — the buyer
 * needs a company invoice with its tax id. A warning, never a refusal.
 */
export function looksLikeOrganisation(title: string): boolean {
  const t = title.trim();
  return t.length >= 4 && /(公司|有限|集团|厂|商行|工作室|事务所|中心|研究院|研究所|学校|学院|大学|医院|协会|合作社|银行|门市部|经营部|店)$|有限责任|股份/.test(t);
}
