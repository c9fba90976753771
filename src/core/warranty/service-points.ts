/**
 * S4.1 the service points a warranty card lists for the buyer's region:
 * "河北省11个地市各个售后（华为，酷派，三星，联想，小米等）网点分布区域，可以按照用户
 * 所在区域，在发货的同时，放入相关区域售后网点". The seed names the province, the
 * brands and that there are points in every city, but no point's name,
 * address or phone: the default directory is 11 cities × 5 brands of
 * placeholders marked `to_be_filled`, which a shop fills in. Nothing here is
 * invented; a placeholder never counts as a centre the buyer can visit.
 */

/** Hebei's 11 prefecture-level cities (河北省11个地市), in the official order. */
export const hebeiCities = ['石家庄', '唐山', '秦皇岛', '邯郸', '邢台', '保定', '张家口', '承德', '沧州', '廊坊', '衡水'] as const;
export type HebeiCity = (typeof hebeiCities)[number];

/** A place an address may name without its prefecture city: a county-level city or a new area, served by `city`'s points. */
export interface ServicePlace {
  /** as an address writes it, e.g. 定州市, 雄安新区 */
  name: string;
  /** the city of the directory whose service points serve it */
  city: string;
}

/**
 * Hebei's county-level cities and the 雄安新区 (issue 13), by the city that serves them. 定州 and 辛集 are
 * administered by the province directly, so an address names them without 保定 or 石家庄; 雄安新区 took
 * 雄县, 容城县 and 安新县 from 保定. The others are written with their prefecture as often as without.
 */
export const hebeiPlaces: readonly ServicePlace[] = [
  ...['辛集市', '辛集', '晋州市', '新乐市'].map((name) => ({ name, city: '石家庄' })),
  ...['遵化市', '迁安市', '滦州市'].map((name) => ({ name, city: '唐山' })),
  { name: '武安市', city: '邯郸' },
  ...['南宫市', '沙河市'].map((name) => ({ name, city: '邢台' })),
  ...['定州市', '定州', '涿州市', '安国市', '高碑店市', '雄安新区', '雄安', '雄县', '容城县', '安新县'].map((name) => ({ name, city: '保定' })),
  { name: '平泉市', city: '承德' },
  ...['泊头市', '任丘市', '黄骅市', '河间市'].map((name) => ({ name, city: '沧州' })),
  ...['霸州市', '三河市'].map((name) => ({ name, city: '廊坊' })),
  { name: '深州市', city: '衡水' },
];

/** The brands S4.1 names (华为，酷派，三星，联想，小米等); a shop may add others. */
export const defaultBrands = [
  { id: 'huawei', zh: '华为', en: 'Huawei', aliases: ['HUAWEI', '华为'] },
  { id: 'coolpad', zh: '酷派', en: 'Coolpad', aliases: ['COOLPAD', '酷派', '宇龙'] },
  { id: 'samsung', zh: '三星', en: 'Samsung', aliases: ['SAMSUNG', '三星'] },
  { id: 'lenovo', zh: '联想', en: 'Lenovo', aliases: ['LENOVO', '联想'] },
  { id: 'xiaomi', zh: '小米', en: 'Xiaomi', aliases: ['XIAOMI', '小米', 'MI'] },
] as const;

export interface Brand {
  id: string;
  zh: string;
  en: string;
  /** how orders and buyers write it; matched case-insensitively */
  aliases: readonly string[];
}

export interface ServicePoint {
  id: string;
  /** the province, e.g. 河北 */
  province: string;
  /** the city without 市, e.g. 石家庄 */
  city: string;
  brandId: string;
  /** to_be_filled: a placeholder of the default list, not a centre anyone can visit */
  status: 'active' | 'to_be_filled';
  name: string | null;
  address: string | null;
  phone: string | null;
  hours: string | null;
}

export interface ServicePointDirectory {
  version: number;
  brands: readonly Brand[];
  /** the cities the directory covers, by province; `places` maps county-level cities and new areas to the city that serves them */
  regions: readonly { province: string; cities: readonly string[]; places?: readonly ServicePlace[] | undefined }[];
  points: readonly ServicePoint[];
}

/** S4.1's card: where returns go (退换货地址) and who receives them. The seed's phone is xxxxxxxx: to be filled. */
export interface ReturnContact {
  address: string;
  consignee: string;
  /** 收货电话: null until the shop fills it */
  phone: string | null;
  /** 售后客服专线: null until the shop fills it */
  hotline: string | null;
}

/** The return address and consignee the seed gives as its example (S4.1); phone and hotline are left for the shop. */
export const defaultReturnContact: ReturnContact = {
  address: '河北省石家庄开发区黄河大道祁连街润都盛和广场',
  consignee: '电信网厅（天猫）退换货组',
  phone: null,
  hotline: null,
};

/** The default directory: every Hebei city × every S4.1 brand, each a placeholder to fill. */
export const defaultServicePoints: ServicePointDirectory = {
  version: 1,
  brands: defaultBrands,
  regions: [{ province: '河北', cities: hebeiCities, places: hebeiPlaces }],
  points: hebeiCities.flatMap((city) =>
    defaultBrands.map(
      (brand): ServicePoint => ({
        id: `hebei.${city}.${brand.id}`,
        province: '河北',
        city,
        brandId: brand.id,
        status: 'to_be_filled',
        name: null,
        address: null,
        phone: null,
        hours: null,
      }),
    ),
  ),
};

/** A point a buyer can actually go to: active, with an address. */
export function isUsablePoint(point: ServicePoint): boolean {
  return point.status === 'active' && point.address !== null && point.address.trim().length > 0;
}

/** A directory saved before issue 13 gains Hebei's county-level cities and new area (its own places, if any, are kept). */
export function withDirectoryDefaults(directory: ServicePointDirectory): ServicePointDirectory {
  return {
    ...directory,
    regions: directory.regions.map((r) => (r.places === undefined && r.province === '河北' ? { ...r, places: hebeiPlaces.filter((p) => r.cities.includes(p.city)) } : r)),
  };
}

/**
 * The city a region or an address names: '石家庄', '石家庄市', a whole
 * address '河北省石家庄市长安区…', or a place the city serves ('河北省定州市…',
 * '雄安新区容城县…': `place` names it). The earliest name in the text wins.
 */
export function findCity(directory: ServicePointDirectory, region: string): { province: string; city: string; place?: string } | null {
  const text = region.normalize('NFKC').replace(/\s+/gu, '');
  let best: { province: string; city: string; at: number; place?: string } | null = null;
  for (const r of directory.regions) {
    for (const city of r.cities) {
      const at = text.indexOf(city);
      if (at >= 0 && (best === null || at < best.at)) best = { province: r.province, city, at };
    }
    for (const p of r.places ?? []) {
      const at = text.indexOf(p.name);
      // a longer name at the same place wins (定州市 over 定州)
      if (at >= 0 && r.cities.includes(p.city) && (best === null || at < best.at || (at === best.at && best.place !== undefined && p.name.length > best.place.length))) {
        best = { province: r.province, city: p.city, at, place: p.name };
      }
    }
  }
  return best ? { province: best.province, city: best.city, ...(best.place ? { place: best.place } : {}) } : null;
}

/** The brand of a name as written ('华为', 'HUAWEI', 'Huawei', 'huawei'), or null. */
export function findBrand(directory: ServicePointDirectory, name: string): Brand | null {
  const key = name.normalize('NFKC').trim().toUpperCase();
  if (key.length === 0) return null;
  return (
    directory.brands.find((b) => b.id.toUpperCase() === key || b.zh === key || b.en.toUpperCase() === key || b.aliases.some((a) => a.toUpperCase() === key)) ?? null
  );
}

/** `place`: the county-level city or new area the address named, served by `city` */
export type ServicePointLookup =
  /** usable points for the city and brand */
  | { status: 'found'; province: string; city: string; place?: string; brand: Brand; points: ServicePoint[] }
  /** the directory has only placeholders there: the shop must fill them before the card can list them */
  | { status: 'to_be_filled'; province: string; city: string; place?: string; brand: Brand; placeholders: ServicePoint[] }
  /** the directory has nothing for this city and brand */
  | { status: 'none'; province: string; city: string; place?: string; brand: Brand }
  | { status: 'unknown_region'; region: string }
  | { status: 'unknown_brand'; brand: string };

/** S4.1: the service points of a buyer's region (a city or an address) for a brand. */
export function findServicePoints(directory: ServicePointDirectory, query: { region: string; brand: string }): ServicePointLookup {
  const place = findCity(directory, query.region);
  if (!place) return { status: 'unknown_region', region: query.region };
  const brand = findBrand(directory, query.brand);
  if (!brand) return { status: 'unknown_brand', brand: query.brand };
  const here = directory.points.filter((p) => p.province === place.province && p.city === place.city && p.brandId === brand.id);
  const usable = here.filter(isUsablePoint);
  if (usable.length > 0) return { status: 'found', ...place, brand, points: usable };
  if (here.length > 0) return { status: 'to_be_filled', ...place, brand, placeholders: here };
  return { status: 'none', ...place, brand };
}

/** The placeholders still to fill, for the shop's settings page. */
export function pointsToFill(directory: ServicePointDirectory): ServicePoint[] {
  return directory.points.filter((p) => p.status === 'to_be_filled');
}
