/**
 * What a shop may save as its warranty settings, beyond `checkWarrantyPolicy`:
 * periods a calendar can count (a typo of 70000 days would otherwise reach
 * past the year 9999), and a service-point directory whose points name a
 * brand and a city it lists (S4.1), so the card never shows a point it cannot
 * place. Each function answers a list of problems, empty when sound.
 */
import { allRungs, type WarrantyPolicy } from './policy.ts';
import type { ReturnContact, ServicePointDirectory } from './service-points.ts';

const MAX_PERIOD = { day: 3650, month: 120, year: 10 } as const;

/** Periods within ten years (the calendar arithmetic stays within real dates). */
export function checkPolicyLimits(policy: WarrantyPolicy): string[] {
  const problems: string[] = [];
  const periods = [...allRungs(policy).map((r) => ({ where: `The rung ${r.id}`, period: r.period })), { where: 'The personal-reason return', period: policy.personalReturn.period }];
  for (const { where, period } of periods) {
    const max = MAX_PERIOD[period.unit];
    if (Number.isFinite(period.count) && period.count > max) problems.push(`${where}: a period is at most ${max} ${period.unit}s.`);
  }
  return problems;
}

/** A directory a shop saves: unique ids, every point of a listed brand and city, a usable point with a name and an address. */
export function checkServicePointDirectory(directory: ServicePointDirectory): string[] {
  const problems: string[] = [];
  const brandIds = new Set<string>();
  for (const b of directory.brands) {
    if (brandIds.has(b.id)) problems.push(`The brand ${b.id} is listed twice.`);
    brandIds.add(b.id);
  }
  const cities = new Set<string>();
  for (const r of directory.regions) {
    for (const c of r.cities) {
      const key = `${r.province}|${c}`;
      if (cities.has(key)) problems.push(`The city ${r.province} ${c} is listed twice.`);
      cities.add(key);
    }
  }
  const places = new Set<string>();
  for (const r of directory.regions) {
    for (const p of r.places ?? []) {
      if (places.has(p.name)) problems.push(`The place ${p.name} is listed twice.`);
      places.add(p.name);
      if (!r.cities.includes(p.city)) problems.push(`The place ${p.name} is served by ${r.province} ${p.city}, a city the directory does not list.`);
    }
  }
  const pointIds = new Set<string>();
  for (const p of directory.points) {
    if (pointIds.has(p.id)) problems.push(`The service point ${p.id} is listed twice.`);
    pointIds.add(p.id);
    if (!brandIds.has(p.brandId)) problems.push(`The service point ${p.id} is of the brand ${p.brandId}, which the directory does not list.`);
    if (!cities.has(`${p.province}|${p.city}`)) problems.push(`The service point ${p.id} is in ${p.province} ${p.city}, a city the directory does not list.`);
    if (p.status === 'active' && (!p.name?.trim() || !p.address?.trim())) {
      problems.push(`The service point ${p.id} is active but has no name or no address: fill them in, or leave it to_be_filled.`);
    }
  }
  return problems;
}

/** S4.1: the card's return address and consignee cannot be blank. */
export function checkReturnContact(contact: ReturnContact): string[] {
  const problems: string[] = [];
  if (!contact.address.trim()) problems.push('The return address (退换货地址) is required.');
  if (!contact.consignee.trim()) problems.push('The consignee (收货人) is required.');
  return problems;
}
