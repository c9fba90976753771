/**
 * Finding a device by its IMEI/MEID or the order number (GET /devices?q=).
 * An IMEI is checked here before anything is sent: 15 digits whose last is
 * the Luhn check digit — a typing slip is named with the digit expected.
 */
import { Alert, Button, Form, Input, Space, Table, Tag } from 'antd';
import { useEffect } from 'react';
import { get } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import { useLoad } from '../../../shared/use-api.ts';
import type { Device, DeviceList } from '../../../shared/warranty-types.ts';
import { warrantyMessages } from './messages.ts';
import { lookupProblem } from './model.ts';

export function DeviceLookup({ q, onSearch, selectedId, onSelect }: { q: string | null; onSearch: (q: string) => void; selectedId: number | null; onSelect: (id: number) => void }) {
  const m = useMessages(warrantyMessages);
  const { lang } = useLang();
  const [form] = Form.useForm<{ q: string }>();
  const { data, error, loading } = useLoad((signal) => (q ? get<DeviceList>('/devices', { q, limit: 20 }, signal) : Promise.resolve(null)), [q]);
  const items = data?.items ?? [];
  // a link (?q=…) or the device's own search fills the box
  useEffect(() => form.setFieldsValue({ q: q ?? '' }), [form, q]);

  return (
    <div>
      <Form<{ q: string }>
        form={form}
        layout="inline"
        initialValues={{ q: q ?? '' }}
        onFinish={(v) => onSearch(v.q.trim())}
        style={{ marginBottom: 12, rowGap: 8 }}
        className="no-print"
      >
        <Form.Item
          name="q"
          label={m.lookupLabel}
          rules={[{ validator: (_, v: string | undefined) => {
            const problem = lookupProblem(v ?? '', m);
            return problem ? Promise.reject(new Error(problem)) : Promise.resolve();
          } }]}
          style={{ minWidth: 360 }}
        >
          <Input placeholder={m.lookupPlaceholder} autoComplete="off" allowClear style={{ width: 300 }} data-testid="device-lookup" />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={loading && !!q}>
            {m.lookup}
          </Button>
        </Form.Item>
      </Form>
      {error ? <Alert type="error" showIcon title={errorText(error, lang)} role="alert" style={{ marginBottom: 12 }} /> : null}
      {q && data && items.length === 0 ? <Alert type="info" showIcon title={fmt(m.lookupNone, { q })} style={{ marginBottom: 12 }} /> : null}
      {items.length > 0 ? (
        <Table<Device>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={items}
          style={{ marginBottom: 16 }}
          rowClassName={(d) => (d.id === selectedId ? 'ant-table-row-selected' : '')}
          onRow={(d) => ({ onDoubleClick: () => onSelect(d.id) })}
          columns={[
            { key: 'id', title: m.deviceIdLabel, render: (_, d) => <Space><Tag>{d.idKind === 'imei' ? 'IMEI' : 'MEID'}</Tag><code>{d.deviceId}</code></Space> },
            { key: 'model', title: m.model, render: (_, d) => `${d.brand} ${d.model}` },
            { key: 'order', title: m.orderNo, render: (_, d) => d.orderNo ?? '—' },
            { key: 'purchase', title: m.purchaseDate, dataIndex: 'purchaseDate' },
            { key: 'region', title: m.region, dataIndex: 'region', ellipsis: true },
            {
              key: 'open',
              title: m.colActions,
              width: 90,
              render: (_, d) => (
                <Button size="small" type={d.id === selectedId ? 'primary' : 'default'} onClick={() => onSelect(d.id)} aria-label={fmt(m.showDeviceAria, { id: d.deviceId })}>
                  {m.showDevice}
                </Button>
              ),
            },
          ]}
        />
      ) : null}
    </div>
  );
}
