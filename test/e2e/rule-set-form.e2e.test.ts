/**
 * Issue 15 §4, end to end: the supervisor edits the rule set as a form (a
 * checklist item and a guard added to a rule, an empty title refused beside
 * its field in Chinese), saves a new version; a broken YAML pasted in the YAML
 * tab is refused with "第 N 行：…" in words; the audit trail shows the change
 * with labelled fields, guards by name.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.ts';
import { chooseOption, launchBrowser, newContext, shot, signIn, startApp, type E2eApp } from './support.ts';

for (const dialect of DIALECTS) {
  describe(`the rule set as a form [${dialect}]`, () => {
    let app: E2eApp;
    let browser: Browser;
    beforeAll(async () => {
      [app, browser] = await Promise.all([startApp(dialect), launchBrowser()]);
    });
    afterAll(async () => {
      await browser?.close();
      await app?.close();
    });

    it('issue 15 §4: the supervisor adds a checklist item and a guard through the form, a bad YAML is refused by line in words, the audit shows the change', async () => {
      const name = `rule-set-form-${dialect}`;
      const context = await newContext(browser, app.url);
      const page = await context.newPage();
      await signIn(page, 'supervisor');
      const before = (await (await page.request.get('/api/v1/rule-set')).json()) as { version: number };

      await page.goto('/rule-set');
      const form = page.getByTestId('rule-set-form');
      await form.waitFor();
      // filtered by reason: 卖家缺货 keeps the rules that apply to it
      await page.getByTestId('rule-filter-reason').click();
      await page.keyboard.type('卖家缺货');
      await chooseOption(page, page.getByTestId('rule-filter-reason'), '退款原因：卖家缺货');
      const header = form.locator('[data-testid^="rule-header-"]', { hasText: 'S2.4 ·' });
      await header.waitFor();
      expect(await form.textContent()).not.toContain('GUARD_');
      await shot(page, name, '01-form-filtered');
      const index = Number((await header.getAttribute('data-testid'))!.replace('rule-header-', ''));
      await header.click();
      const rule = page.getByTestId(`rule-${index}`);
      await rule.waitFor();

      // a new checklist item and a guard, by their names
      await page.getByTestId(`rule-${index}-add-item`).click();
      const items = rule.locator('[data-testid^="rule-' + index + '-item-"][data-testid$="-text"]');
      const newText = items.last();
      await newText.fill('旺旺留言告诉买家缺货的款式和到货时间');
      await page.getByTestId(`rule-${index}-guards`).click();
      await page.keyboard.type('再走未发退');
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option-active').waitFor();
      await page.keyboard.press('Enter');
      await page.keyboard.press('Escape');
      await expect.poll(async () => (await page.getByTestId(`rule-${index}-guards`).textContent()) ?? '').toContain('先请买家修改退款原因，再走未发退');
      expect(await page.getByTestId(`rule-${index}-guard-explanations`).textContent()).toContain('S1.3');

      // an empty title is refused beside its field, in Chinese, before anything is saved
      await page.getByTestId(`rule-${index}-title`).fill('');
      await page.getByTestId('rule-set-save').click();
      const errors = page.getByTestId('rule-set-form-errors');
      await errors.waitFor();
      expect(await errors.textContent()).toContain(`第 ${index + 1} 条规则（S2.4）的“标题”：不能为空。`);
      expect(await rule.locator('[data-field$=".title"] .ant-form-item-explain').textContent()).toContain('不能为空');
      await shot(page, name, '02-form-error');

      await page.getByTestId(`rule-${index}-title`).fill('缺货：联系买家改为与卖家协商一致，并旺旺告知到货时间');
      await page.getByTestId('rule-set-save').click();
      await page.getByTestId('rule-set-version').filter({ hasText: `第 ${before.version + 1} 版` }).waitFor();
      await shot(page, name, '03-form-saved');
      const saved = (await (await page.request.get('/api/v1/rule-set')).json()) as {
        version: number;
        ruleSet: { rules: { id: string; title: string; guards?: string[]; checklist?: { text: string }[] }[] };
      };
      const changed = saved.ruleSet.rules.find((r) => r.id === 'S2.4')!;
      expect(saved.version).toBe(before.version + 1);
      expect(changed.title).toBe('缺货：联系买家改为与卖家协商一致，并旺旺告知到货时间');
      expect(changed.guards).toContain('GUARD_UNSHIPPED_REASON_NEEDS_CHANGE');
      expect(changed.checklist?.map((i) => i.text)).toContain('旺旺留言告诉买家缺货的款式和到货时间');

      // the YAML tab: a line indented too deep is refused with its line, in words
      await page.getByRole('tab', { name: 'YAML' }).click();
      const editor = page.getByTestId('rule-set-editor');
      await editor.waitFor();
      const lines = (await editor.inputValue()).split('\n');
      const titleLine = lines.findIndex((l) => /^ {4}title: /.test(l));
      lines[titleLine] = ' ' + lines[titleLine];
      await editor.fill(lines.join('\n'));
      await page.getByTestId('rule-set-save').click();
      const lineErrors = page.getByTestId('rule-set-line-errors');
      await lineErrors.waitFor();
      const said = (await lineErrors.textContent()) ?? '';
      expect(said).toMatch(new RegExp(`第 ${titleLine + 1} 行：`));
      expect(said).toContain('缩进不对齐');
      expect(said).not.toMatch(/indent|line \d/);
      await shot(page, name, '04-yaml-error');

      // the audit trail: the rule set saved, its details as labelled fields with the guards by name
      await page.goto('/audit');
      const table = page.getByTestId('audit-table');
      const row = table.locator('tr.ant-table-row', { hasText: '保存规则集' }).first();
      await row.waitFor();
      expect(await row.textContent()).not.toContain('ruleset.save');
      expect(await row.textContent()).toContain('规则集 #');
      await row.locator('.ant-table-row-expand-icon').click();
      const details = page.locator('[data-testid^="audit-details-"]').first();
      await details.waitFor();
      const text = (await details.textContent()) ?? '';
      expect(text).toContain('规则条数');
      expect(text).toContain('保留的拦截');
      expect(text).toContain('先请买家修改退款原因，再走未发退');
      expect(text).not.toMatch(/GUARD_|[{}"]/);
      await shot(page, name, '05-audit-details');
      await context.close();
    });
  });
}
