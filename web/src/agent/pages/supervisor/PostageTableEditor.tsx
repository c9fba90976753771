/**
 * S1.14: the return-postage table inside the settings form — province ×
 * style category × amount in yuan, rows added and removed, one amount per
 * province × style (checked here before the server checks it again).
 */
import { AutoComplete, Button, Form, Input, Select, Space, Table, Typography } from 'antd';
import type { FormInstance } from 'antd';
import { parseYuan } from '../../../shared/format.ts';
import { fmt, useMessages } from '../../../shared/i18n.tsx';
import { provinceNames, type PostageFormRow, type SettingsForm } from './settings-model.ts';
import { settingsMessages } from './settings-messages.ts';

const amountRule = (message: string) => ({
  validator: (_: unknown, value: string | undefined) => (value !== undefined && parseYuan(value) !== null ? Promise.resolve() : Promise.reject(new Error(message))),
});

export function PostageTableEditor({ form }: { form: FormInstance<SettingsForm> }) {
  const m = useMessages(settingsMessages);
  const rows = (Form.useWatch('postageRows', form) ?? []) as PostageFormRow[];
  const categories = [...new Set(rows.map((r) => r?.styleCategory?.trim()).filter((c): c is string => !!c))].map((c) => ({ value: c }));

  /** The first earlier row with the same province × style, if any. */
  const duplicateOf = (index: number): number | null => {
    const rows = (form.getFieldValue('postageRows') ?? []) as PostageFormRow[];
    const row = rows[index];
    const style = row?.styleCategory?.trim();
    if (!row?.province || !style) return null;
    const first = rows.findIndex((r, i) => i < index && r?.province === row.province && r?.styleCategory?.trim() === style);
    return first === -1 ? null : first;
  };

  return (
    <Form.List name="postageRows">
      {(fields, { add, remove }) => (
        <>
          <Table
            size="small"
            rowKey="key"
            dataSource={fields}
            pagination={fields.length > 50 ? { pageSize: 50, size: 'small' } : false}
            data-testid="postage-table"
            columns={[
              { title: '#', key: 'n', width: 48, render: (_, __, i) => i + 1 },
              {
                title: m.province,
                key: 'province',
                render: (_, field) => (
                  <Form.Item name={[field.name, 'province']} rules={[{ required: true, message: m.provinceRequired }]} style={{ margin: 0 }}>
                    <Select
                      showSearch
                      aria-label={`${m.province} ${field.name + 1}`}
                      options={provinceNames.map((p) => ({ value: p, label: p }))}
                      style={{ minWidth: 150 }}
                    />
                  </Form.Item>
                ),
              },
              {
                title: m.styleCategory,
                key: 'style',
                render: (_, field) => (
                  <Form.Item
                    name={[field.name, 'styleCategory']}
                    dependencies={[['postageRows', field.name, 'province']]}
                    rules={[
                      { required: true, whitespace: true, message: m.styleRequired },
                      { max: 30, message: m.styleTooLong },
                      {
                        validator: () => {
                          const first = duplicateOf(field.name);
                          const row = (form.getFieldValue(['postageRows', field.name]) ?? {}) as PostageFormRow;
                          return first === null
                            ? Promise.resolve()
                            : Promise.reject(new Error(fmt(m.duplicateRow, { n: field.name + 1, first: first + 1, province: row.province ?? '', style: row.styleCategory ?? '' })));
                        },
                      },
                    ]}
                    style={{ margin: 0 }}
                  >
                    <AutoComplete aria-label={`${m.styleCategory} ${field.name + 1}`} options={categories} style={{ minWidth: 120 }} />
                  </Form.Item>
                ),
              },
              {
                title: m.amount,
                key: 'amount',
                render: (_, field) => (
                  <Form.Item name={[field.name, 'amount']} rules={[amountRule(m.amountInvalid)]} style={{ margin: 0 }}>
                    <Input prefix="¥" inputMode="decimal" aria-label={`${m.amount} ${field.name + 1}`} style={{ width: 120 }} />
                  </Form.Item>
                ),
              },
              {
                title: '',
                key: 'remove',
                width: 64,
                render: (_, field) => (
                  <Button danger type="text" aria-label={fmt(m.removeRow, { n: field.name + 1 })} onClick={() => remove(field.name)}>
                    ✕
                  </Button>
                ),
              },
            ]}
          />
          <Space style={{ marginTop: 8 }} wrap>
            <Button onClick={() => add({ province: undefined, styleCategory: '', amount: '' })} data-testid="postage-add">
              + {m.addRow}
            </Button>
            <Typography.Text type="secondary">{fmt(m.rowsCount, { n: fields.length })}</Typography.Text>
          </Space>
        </>
      )}
    </Form.List>
  );
}

export { amountRule };
