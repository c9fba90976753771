/** S4.1 the service points on the warranty card: Hebei's 11 cities × the brands the seed names. */
import { describe, expect, it } from 'vitest';
import {
  defaultReturnContact,
  defaultServicePoints,
  findBrand,
  findCity,
  findServicePoints,
  hebeiCities,
  pointsToFill,
  withDirectoryDefaults,
  type ServicePointDirectory,
} from './service-points.ts';
import { checkServicePointDirectory } from './settings-check.ts';

describe('defaultServicePoints', () => {
  it('S4.1 lists Hebei’s 11 cities × Huawei, Coolpad, Samsung, Lenovo, Xiaomi', () => {
    expect(hebeiCities).toEqual(['石家庄', '唐山', '秦皇岛', '邯郸', '邢台', '保定', '张家口', '承德', '沧州', '廊坊', '衡水']);
    expect(defaultServicePoints.brands.map((b) => b.zh)).toEqual(['华为', '酷派', '三星', '联想', '小米']);
    expect(defaultServicePoints.points).toHaveLength(55);
    expect(new Set(defaultServicePoints.points.map((p) => p.id)).size).toBe(55);
  });

  it('S4.1 invents nothing: every default point is a placeholder without name, address or phone', () => {
    for (const p of defaultServicePoints.points) {
      expect(p).toMatchObject({ status: 'to_be_filled', name: null, address: null, phone: null, hours: null });
    }
    expect(pointsToFill(defaultServicePoints)).toHaveLength(55);
  });

  it('S4.1 the return address and consignee are the seed’s; its phone (xxxxxxxx) and the hotline are left to fill', () => {
    expect(defaultReturnContact).toEqual({
      address: '河北省石家庄开发区黄河大道祁连街润都盛和广场',
      consignee: '电信网厅（天猫）退换货组',
      phone: null,
      hotline: null,
    });
  });
});

describe('findServicePoints', () => {
  const filled: ServicePointDirectory = {
    ...defaultServicePoints,
    points: defaultServicePoints.points.map((p) =>
      p.id === 'hebei.保定.xiaomi' ? { ...p, status: 'active', name: '小米之家（测试）', address: '保定市竞秀区某路1号', phone: null } : p,
    ),
  };

  it('S4.1 finds the city in a bare name, a name with 市, or a whole address', () => {
    expect(findCity(defaultServicePoints, '石家庄')).toEqual({ province: '河北', city: '石家庄' });
    expect(findCity(defaultServicePoints, '唐山市')).toEqual({ province: '河北', city: '唐山' });
    expect(findCity(defaultServicePoints, '河北省 张家口市 桥东区 胜利北路')).toEqual({ province: '河北', city: '张家口' });
    expect(findCity(defaultServicePoints, '浙江省杭州市')).toBeNull();
  });

  it('S4.1 reads a brand in Chinese or English, any case', () => {
    expect(findBrand(defaultServicePoints, 'HUAWEI')?.id).toBe('huawei');
    expect(findBrand(defaultServicePoints, 'xiaomi')?.id).toBe('xiaomi');
    expect(findBrand(defaultServicePoints, '三星')?.id).toBe('samsung');
    expect(findBrand(defaultServicePoints, 'Nokia')).toBeNull();
    expect(findBrand(defaultServicePoints, ' ')).toBeNull();
  });

  it('S4.1 a filled point is found by region and brand', () => {
    const r = findServicePoints(filled, { region: '河北省保定市竞秀区', brand: '小米' });
    expect(r).toMatchObject({ status: 'found', city: '保定', brand: { id: 'xiaomi' }, points: [{ name: '小米之家（测试）' }] });
  });

  it('S4.1 a placeholder is reported as to be filled, never as a centre to visit', () => {
    const r = findServicePoints(defaultServicePoints, { region: '衡水', brand: 'Lenovo' });
    expect(r).toMatchObject({ status: 'to_be_filled', city: '衡水', placeholders: [{ id: 'hebei.衡水.lenovo' }] });
  });

  it('S4.1 an unknown region or brand, or no entry at all', () => {
    expect(findServicePoints(defaultServicePoints, { region: '杭州', brand: '华为' })).toEqual({ status: 'unknown_region', region: '杭州' });
    expect(findServicePoints(defaultServicePoints, { region: '石家庄', brand: 'Nokia' })).toEqual({ status: 'unknown_brand', brand: 'Nokia' });
    const withOppo: ServicePointDirectory = { ...defaultServicePoints, brands: [...defaultServicePoints.brands, { id: 'oppo', zh: 'OPPO', en: 'OPPO', aliases: [] }] };
    expect(findServicePoints(withOppo, { region: '石家庄', brand: 'oppo' })).toMatchObject({ status: 'none', city: '石家庄', brand: { id: 'oppo' } });
  });
});

describe('findServicePoints: Hebei county-level cities and the new area (issue 13)', () => {
  it('S4.1 定州, 辛集 and 雄安新区 are served by 保定, 石家庄 and 保定, named as the address names them', () => {
    expect(findServicePoints(defaultServicePoints, { region: '河北省定州市北城区中山路 8 号', brand: '华为' })).toMatchObject({
      status: 'to_be_filled',
      province: '河北',
      city: '保定',
      place: '定州市',
    });
    expect(findServicePoints(defaultServicePoints, { region: '河北省辛集市辛集镇', brand: '小米' })).toMatchObject({ city: '石家庄', place: '辛集市' });
    expect(findServicePoints(defaultServicePoints, { region: '河北雄安新区容城县', brand: 'HUAWEI' })).toMatchObject({ city: '保定', place: '雄安新区' });
    expect(findCity(defaultServicePoints, '河北省容城县')).toEqual({ province: '河北', city: '保定', place: '容城县' });
    expect(findCity(defaultServicePoints, '定州')).toEqual({ province: '河北', city: '保定', place: '定州' });
    // an address that names its prefecture first keeps it; a county-level city written without one finds it
    expect(findCity(defaultServicePoints, '河北省沧州市任丘市')).toEqual({ province: '河北', city: '沧州' });
    expect(findCity(defaultServicePoints, '河北省任丘市')).toEqual({ province: '河北', city: '沧州', place: '任丘市' });
  });

  it('S4.1 a directory saved before the places gains Hebei’s; a shop’s own are kept; a place must name a listed city', () => {
    const old: ServicePointDirectory = { ...defaultServicePoints, regions: [{ province: '河北', cities: hebeiCities }] };
    expect(findServicePoints(old, { region: '河北省定州市', brand: '华为' }).status).toBe('unknown_region');
    expect(findServicePoints(withDirectoryDefaults(old), { region: '河北省定州市', brand: '华为' })).toMatchObject({ city: '保定', place: '定州市' });
    const own: ServicePointDirectory = { ...defaultServicePoints, regions: [{ province: '河北', cities: hebeiCities, places: [{ name: '定州市', city: '石家庄' }] }] };
    expect(withDirectoryDefaults(own)).toEqual(own);
    const wrong: ServicePointDirectory = { ...defaultServicePoints, regions: [{ province: '河北', cities: hebeiCities, places: [{ name: '定州市', city: '北京' }] }] };
    expect(checkServicePointDirectory(wrong)).toEqual(['The place 定州市 is served by 河北 北京, a city the directory does not list.']);
    expect(checkServicePointDirectory(defaultServicePoints)).toEqual([]);
  });
});
