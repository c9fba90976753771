/**
 * S5.6 the clerk's periodic review: everything unattended for longer than a
 * threshold the clerk sets (hours), dispatches late without notice and
 * emergency records with missing paperwork, each with who owns it and what
 * it waits for (GET /service/review?thresholdHours=).
 */
import { Alert, Button, Form, InputNumber, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { get } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { dateTime } from '../../../shared/format.ts';
import { fmt, labelOf, useLang, useMessages } from '../../../shared/i18n.tsx';
import { useLoad } from '../../../shared/use-api.ts';
import { roleNames } from '../../messages.ts';
import { DispatchClock, lateRowStyle } from './DispatchParts.tsx';
import { RecordLink } from './links.tsx';
import { serviceMessages } from './messages.ts';
import type { ReviewRow } from './model.ts';

const STORE = 'shouhou.service.reviewHours';

function savedHours(): number {
  try {
    const n = Number(localStorage.getItem(STORE));
    return Number.isFinite(n) && n >= 1 && n <= 8760 ? n : 24;
  } catch {
    return 24;
  }
}

export function ReviewTab() {
  const m = useMessages(serviceMessages);
  const mm = m as Record<string, string>;
  const roles = useMessages(roleNames) as Record<string, string>;
  const { lang } = useLang();
  const [hours, setHours] = useState<number>(savedHours);
  const [form] = Form.useForm<{ hours: number }>();
  const loaded = useLoad(
    (signal) =>
      get<{ thresholdHours: number; items: ReviewRow[] } | ReviewRow[]>('/service/review', { thresholdHours: hours }, signal).then((a) => (Array.isArray(a) ? a : a.items)),
    [hours],
  );

  const apply = ({ hours: h }: { hours: number }) => {
    setHours(h);
    try {
      localStorage.setItem(STORE, String(h));
    } catch {
      // not kept: fine
    }
  };

  const columns: ColumnsType<ReviewRow> = [
    {
      title: m.kind,
      key: 'kind',
      render: (_, r) => (
        <Space orientation="vertical" size={0}>
          <span>{mm[`kind_${r.kind}`]}</span>
          <RecordLink id={r.recordId}>
            {r.kind === 'dispatch' ? `${fmt(m.dispatchId, { id: r.id })} · #${r.recordId}` : `#${r.recordId}`}
          </RecordLink>
        </Space>
      ),
    },
    {
      title: m.customer,
      key: 'customer',
      render: (_, r) => (
        <Space orientation="vertical" size={0}>
          <span>{r.archive?.organisation ?? m.none}</span>
          <Typography.Text type="secondary">{r.archive ? `${r.archive.product} · ${r.archive.serialNo}` : ''}</Typography.Text>
        </Space>
      ),
    },
    {
      title: m.colStatus,
      key: 'status',
      render: (_, r) => <Tag>{r.kind === 'dispatch' ? (mm[`dst_${r.status}`] ?? r.status) : (mm[`st_${r.status}`] ?? r.status)}</Tag>,
    },
    {
      title: m.owner,
      key: 'owner',
      render: (_, r) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong data-testid="review-owner">
            {r.owner.name ?? fmt(m.anyone, { role: roles[r.owner.role] ?? r.ownerName })}
          </Typography.Text>
          <Typography.Text type="secondary">{roles[r.owner.role] ?? r.owner.role}</Typography.Text>
        </Space>
      ),
    },
    { title: m.waitingFor, key: 'waiting', render: (_, r) => labelOf(r.waitingFor, lang) },
    {
      title: m.idleFor,
      key: 'idle',
      render: (_, r) => (
        <Space orientation="vertical" size={0}>
          <span>{fmt(m.ageHours, { h: r.idleHours })}</span>
          <Typography.Text type="secondary">{dateTime(r.idleSince, lang)}</Typography.Text>
        </Space>
      ),
    },
    {
      title: m.reasons,
      key: 'reasons',
      render: (_, r) => (
        <Space orientation="vertical" size={2}>
          <Space size={2} wrap>
            {r.reasons.map((x) => (
              <Tag key={x} color={x === 'idle' ? 'warning' : 'error'}>
                {mm[`reason_${x}`] ?? x}
              </Tag>
            ))}
          </Space>
          {r.timing && r.kind === 'dispatch' && r.timing.flag !== 'pending' && <DispatchClock timing={r.timing} />}
        </Space>
      ),
    },
  ];

  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="review">
      <Typography.Paragraph type="secondary">{m.reviewIntro}</Typography.Paragraph>
      <Form form={form} name="review" layout="inline" initialValues={{ hours }} onFinish={apply} className="no-print">
        <Form.Item
          name="hours"
          label={m.threshold}
          rules={[
            {
              validator: async (_r, v: number | null | undefined) => {
                if (typeof v !== 'number' || !Number.isFinite(v) || v < 1 || v > 8760) throw new Error(m.thresholdInvalid);
              },
            },
          ]}
        >
          <InputNumber min={1} max={8760} precision={0} />
        </Form.Item>
        <Form.Item>
          <Button htmlType="submit" type="primary">
            {m.reload}
          </Button>
        </Form.Item>
      </Form>
      {loaded.error != null && <Alert type="error" showIcon title={errorText(loaded.error, lang)} />}
      <Table<ReviewRow>
        rowKey={(r) => `${r.kind}-${r.id}`}
        size="small"
        columns={columns}
        dataSource={loaded.data ?? []}
        loading={loaded.loading}
        pagination={(loaded.data?.length ?? 0) > 30 ? { pageSize: 30 } : false}
        scroll={{ x: true }}
        onRow={(r) => ({ style: r.reasons.includes('late_without_notice') ? lateRowStyle : undefined })}
        locale={{ emptyText: m.nothingUnattended }}
      />
    </Space>
  );
}
