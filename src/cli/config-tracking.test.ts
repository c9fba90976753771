import { describe, expect, it } from 'vitest';
import { readConfig } from './config.ts';

describe('configuration: the courier-tracking service (issue 15 §3)', () => {
  it('15.3 SHOUHOU_PARCEL_TRACKING_URL is an http(s) URL, kept without a trailing slash; its timeout 5 s by default', () => {
    expect(readConfig({}).parcelTrackingUrl).toBeUndefined();
    expect(readConfig({}).parcelTrackingTimeoutMs).toBe(5000);
    const c = readConfig({ SHOUHOU_PARCEL_TRACKING_URL: ' http://127.0.0.1:8090/courier/ ', SHOUHOU_PARCEL_TRACKING_TIMEOUT_MS: '2500' });
    expect(c.parcelTrackingUrl).toBe('http://127.0.0.1:8090/courier');
    expect(c.parcelTrackingTimeoutMs).toBe(2500);
    expect(() => readConfig({ SHOUHOU_PARCEL_TRACKING_URL: 'ftp://example.com' })).toThrow(/SHOUHOU_PARCEL_TRACKING_URL must be an http\(s\) URL/);
    expect(() => readConfig({ SHOUHOU_PARCEL_TRACKING_URL: 'not a url' })).toThrow(/SHOUHOU_PARCEL_TRACKING_URL/);
    expect(() => readConfig({ SHOUHOU_PARCEL_TRACKING_TIMEOUT_MS: '0' })).toThrow(/from 100 to 60000/);
  });
});
