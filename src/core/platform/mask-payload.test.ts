import { describe, expect, it } from 'vitest';
import { maskPayload, maskText } from './mask-payload.ts';

describe('issue 12 §7: a sync problem keeps the payload without secrets or personal data', () => {
  it('masks names, phones, addresses, nicks and secrets by field name, and mobile numbers anywhere', () => {
    const raw = {
      trade: {
        tid: '3920120394819283746',
        receiver_name: '李小美',
        receiver_mobile: '13812341234',
        receiver_address: '文三路 100 号 3 幢 502',
        buyer_nick: 'tb_xiaomei88',
        payment: '328.00',
        status: 'WAIT_SELLER_SEND_GOODS',
        buyer_message: '请打电话 13900001111 再送',
      },
      session: 'sess-abcdef',
      sign: 'ABCDEF0123',
      content: '{"refund_id":123,"buyer_nick":"tb_buyer","desc":"电话13700002222"}',
    };
    const masked = JSON.stringify(maskPayload(raw));
    for (const secret of ['李小美', '13812341234', '文三路', 'tb_xiaomei88', '13900001111', 'sess-abcdef', 'ABCDEF0123', 'tb_buyer', '13700002222']) {
      expect(masked).not.toContain(secret);
    }
    for (const kept of ['3920120394819283746', '328.00', 'WAIT_SELLER_SEND_GOODS', '138****1234', '139****1111']) expect(masked).toContain(kept);
  });

  it('masks text keeping only what identifies nothing', () => {
    expect(maskText('13812341234')).toBe('138****1234');
    expect(maskText('李小美')).toBe('李**');
    expect(maskText('')).toBe('');
  });
});
