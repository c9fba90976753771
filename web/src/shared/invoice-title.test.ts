import { describe, expect, it } from 'vitest';
import { looksLikeOrganisation } from './invoice-title.ts';

describe('issue 15 §6 / S1.8: a 个人 invoice whose title reads like an organisation', () => {
  it('warns for companies, shops and institutions', () => {
    for (const t of ['杭州步履鞋业有限公司', '温州小周鞋厂', '石家庄第二中学学校', '张三工作室', '某某股份合作企业', '鹿城区小周鞋店']) expect(looksLikeOrganisation(t), t).toBe(true);
  });
  it('not for a person\'s name, nor for short titles', () => {
    for (const t of ['张三', '李小美', '欧阳娜娜', '王店', '  ']) expect(looksLikeOrganisation(t), t).toBe(false);
  });
});
