import { describe, expect, it } from 'vitest';
import { CourierServiceError, fetchCourierTrace, mapCourierAnswer, parseChinaTime } from './courier-service.ts';

const asked = { courier: '圆通速递', trackingNo: 'YT1' };
const fakeFetch = (status: number, body: string): typeof fetch => (async () => new Response(body, { status, headers: { 'content-type': 'application/json' } })) as typeof fetch;

describe('courier-tracking service adapter (issue 15 §3)', () => {
  it('15.3 reads China time without an offset, and ISO times with one', () => {
    expect(parseChinaTime('2026-11-02 10:00:00')?.toISOString()).toBe('2026-11-02T02:00:00.000Z');
    expect(parseChinaTime('2026-11-02 10:00')?.toISOString()).toBe('2026-11-02T02:00:00.000Z');
    expect(parseChinaTime('2026-11-02T02:00:00Z')?.toISOString()).toBe('2026-11-02T02:00:00.000Z');
    expect(parseChinaTime('昨天')).toBeNull();
    expect(parseChinaTime(12)).toBeNull();
  });

  it('15.3 maps the answer: scans oldest first, the state word, delivered from state 3 (never from 4 退签 or 6 退回)', () => {
    const trace = mapCourierAnswer(
      {
        com: '',
        nu: 'YT1',
        state: '3',
        data: [
          { time: '2026-11-03 09:00:00', context: '已签收，签收人：本人' },
          { time: '2026-11-02 10:00:00', context: '已揽收' },
          'junk',
        ],
      },
      asked,
    );
    expect(trace).toEqual({
      courier: '圆通速递',
      trackingNo: 'YT1',
      status: '签收',
      delivered: true,
      steps: [
        { at: new Date('2026-11-02T02:00:00Z'), text: '已揽收' },
        { at: new Date('2026-11-03T01:00:00Z'), text: '已签收，签收人：本人' },
      ],
    });
    expect(mapCourierAnswer({ state: '4', data: [{ time: '2026-11-03 09:00:00', context: '已签收（退签）' }] }, asked).delivered).toBe(false);
    expect(mapCourierAnswer({ state: 0, data: [] }, asked)).toMatchObject({ status: '在途', delivered: false, steps: [] });
    expect(() => mapCourierAnswer({ message: 'ok' }, asked)).toThrow(CourierServiceError);
    expect(() => mapCourierAnswer([], asked)).toThrow(CourierServiceError);
  });

  it('15.3 404 is "not known" (null); another status, a body that is not JSON or no answer in time is an error of its kind', async () => {
    const base = { baseUrl: 'http://courier.test/api/', timeoutMs: 200 };
    let seen = '';
    const spy: typeof fetch = (async (url: URL) => {
      seen = url.toString();
      return new Response('{"result":false,"returnCode":"404","message":"查询无结果"}', { status: 404 });
    }) as typeof fetch;
    await expect(fetchCourierTrace({ ...base, fetch: spy }, { courier: '圆通速递', trackingNo: 'YT 1' })).resolves.toBeNull();
    expect(seen).toBe('http://courier.test/api/trace?company=%E5%9C%86%E9%80%9A%E9%80%9F%E9%80%92&number=YT+1');
    await expect(fetchCourierTrace({ ...base, fetch: fakeFetch(404, 'not json') }, asked)).resolves.toBeNull();
    await expect(fetchCourierTrace({ ...base, fetch: fakeFetch(500, '{"message":"boom"}') }, asked)).rejects.toMatchObject({ kind: 'http' });
    await expect(fetchCourierTrace({ ...base, fetch: fakeFetch(200, '<html>') }, asked)).rejects.toMatchObject({ kind: 'bad_answer' });
    const hanging: typeof fetch = ((_url: URL, init?: RequestInit) =>
      new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)))) as typeof fetch;
    await expect(fetchCourierTrace({ ...base, fetch: hanging }, asked)).rejects.toMatchObject({ kind: 'timeout' });
    const refused: typeof fetch = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    await expect(fetchCourierTrace({ ...base, fetch: refused }, asked)).rejects.toMatchObject({ kind: 'network' });
  });
});
