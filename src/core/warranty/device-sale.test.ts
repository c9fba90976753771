/** S4 a device sale as registered: the IMEI/MEID refused with its reason, the dates in order, gifts marked, the region cut for printing. */
import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors.ts';
import { originOfPart, readDeviceSale, splitRegion, type DeviceSaleInput } from './device-sale.ts';

const now = new Date('2026-11-02T02:00:00.000Z');
const sale: DeviceSaleInput = { brand: '华为', model: 'Mate 60', deviceId: '352099001761481', purchaseDate: '2026-10-20', region: '河北省石家庄市长安区' };

function errorOf(input: DeviceSaleInput) {
  try {
    readDeviceSale(input, now);
  } catch (e) {
    if (isAppError(e)) return { code: e.code, details: e.details };
    throw e;
  }
  throw new Error('no error');
}

describe('readDeviceSale', () => {
  it('S4 a wrong IMEI check digit is refused on its own, with the digit the first 14 call for', () => {
    expect(errorOf({ ...sale, deviceId: '352099001761482', purchaseDate: 'not a date' })).toEqual({
      code: 'VALIDATION_FAILED',
      details: { field: 'deviceId', reason: 'bad_check_digit', normalized: '352099001761482', expected: '1' },
    });
    expect(errorOf({ ...sale, deviceId: '' }).details).toMatchObject({ field: 'deviceId', reason: 'empty' });
  });

  it('S4 keeps the IMEI normalised and an MEID in hex; the accessories with their origin', () => {
    const read = readDeviceSale({ ...sale, deviceId: '35 209900 176148 1', accessories: [{ kind: 'bluetooth_headset', origin: 'gift' }, { kind: 'data_cable', name: ' USB-C ', origin: 'original' }] }, now);
    expect(read).toMatchObject({ device: { kind: 'imei', value: '352099001761481' }, orderNo: null, deliveryDate: null });
    expect(read.accessories).toEqual([
      { kind: 'bluetooth_headset', name: null, origin: 'gift' },
      { kind: 'data_cable', name: 'USB-C', origin: 'original' },
    ]);
    expect(readDeviceSale({ ...sale, deviceId: '270113177609606898' }, now).device).toEqual({ kind: 'meid', value: 'A10000009296F2' });
  });

  it('S4.2 the dates: no purchase after today (Shanghai), no delivery before the purchase', () => {
    expect(readDeviceSale({ ...sale, purchaseDate: '2026-11-02' }, now).purchaseDate).toBe('2026-11-02');
    expect(errorOf({ ...sale, purchaseDate: '2026-11-03' }).details).toMatchObject({ field: 'purchaseDate', reason: 'purchase_date_in_future' });
    expect(errorOf({ ...sale, deliveryDate: '2026-10-19' }).details).toMatchObject({ field: 'deliveryDate', reason: 'delivery_date_before_purchase' });
    expect(errorOf({ ...sale, purchaseDate: '2026-02-30' }).details).toMatchObject({ field: 'purchaseDate', reason: 'purchase_date_invalid' });
  });

  it('S4.2 the origin of an item: the host is original, an accessory as sold (a gift stays a gift)', () => {
    const accessories = [{ kind: 'bluetooth_headset', name: null, origin: 'gift' }] as const;
    expect(originOfPart(accessories, 'host')).toBe('original');
    expect(originOfPart(accessories, 'bluetooth_headset')).toBe('gift');
    expect(originOfPart(accessories, 'charger')).toBe('original');
  });
});

describe('splitRegion', () => {
  it('S4.1 cuts an address after its district, for the card and for masking', () => {
    expect(splitRegion('河北省石家庄市长安区中山东路 188 号')).toEqual({ district: '河北省石家庄市长安区', rest: '中山东路 188 号' });
    expect(splitRegion('河北省保定市涿州市松林店镇')).toEqual({ district: '河北省保定市涿州市', rest: '松林店镇' });
    expect(splitRegion('北京市朝阳区建国路 1 号')).toEqual({ district: '北京市朝阳区', rest: '建国路 1 号' });
    expect(splitRegion('河北省唐山市')).toEqual({ district: '河北省唐山市', rest: '' });
    expect(splitRegion('石家庄')).toEqual({ district: '石家庄', rest: '' });
  });
});
