/**
 * The service desk's reports over the calls of a date range (Shanghai
 * dates): response times from the call to the site (S5.8: median, p90, on
 * time = the same day or the next), warranty versus paid work with the paid
 * amounts (S5.4, S5.5), satisfaction by product from the follow-up calls
 * (S5.7); the same numbers as CSV and Excel downloads.
 */
import { DateRangeHeader } from '../../shared/DateRangeHeader.tsx';
import { Alert, Button, Card, Col, Row, Space, Spin, Statistic, Table, Tag, Typography } from 'antd';
import 'dayjs/locale/zh-cn';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { satisfactionScores } from '../../../../src/core/service/follow-up.ts';
import type { SatisfactionRow } from '../../../../src/core/service/reports.ts';
import { get, withQuery } from '../../shared/api.ts';
import { errorText } from '../../shared/errors.ts';
import { yuan } from '../../shared/format.ts';
import { fmt, useLang, useMessages } from '../../shared/i18n.tsx';
import { useLoad } from '../../shared/use-api.ts';
import { reportMessages } from './service/messages.ts';
import { minutesText, type ServiceReport } from './service/model.ts';
import { EChart, type ChartOption } from './supervisor/EChart.tsx';
import { addDays, daysBetween, isDate, shanghaiToday } from './supervisor/dates.ts';

const MAX_DAYS = 400;

export default function ServiceReports() {
  const m = useMessages(reportMessages);
  const { lang } = useLang();
  const [params, setParams] = useSearchParams();
  const today = shanghaiToday();
  const from = isDate(params.get('from')) ? params.get('from')! : addDays(today, -29);
  const to = isDate(params.get('to')) ? params.get('to')! : today;
  const bad = daysBetween(from, to) > MAX_DAYS || to < from;

  const { data, error, loading, reload } = useLoad(
    (signal) => (bad ? Promise.resolve(undefined) : get<ServiceReport>('/service/reports', { from, to }, signal)),
    [from, to, bad],
  );


  const mixRows = useMemo(() => {
    if (!data) return [];
    const w = data.workMix;
    return [
      { key: 'phone', kind: m.phone, count: w.phone, amount: null as number | null },
      { key: 'warranty', kind: m.warrantyWork, count: w.warranty, amount: null },
      { key: 'free', kind: m.freeByDecision, count: w.freeByDecision, amount: null },
      { key: 'undecided', kind: m.undecided, count: w.undecided, amount: null },
      { key: 'paid', kind: m.paid, count: w.paid.count, amount: null },
      { key: 'pending', kind: `└ ${m.pendingDecision}`, count: w.paid.pendingDecision, amount: null },
      { key: 'accepted', kind: `└ ${m.accepted}`, count: w.paid.accepted, amount: w.paid.acceptedFen },
      { key: 'declined', kind: `└ ${m.declined}`, count: w.paid.declined, amount: null },
      { key: 'cancelled', kind: m.cancelled, count: w.cancelled, amount: null },
    ];
  }, [data, m]);

  const chart: ChartOption | null = useMemo(() => {
    if (!data || data.workMix.total === 0) return null;
    const w = data.workMix;
    const rows = [
      [m.phone, w.phone],
      [m.warrantyWork, w.warranty],
      [m.freeByDecision, w.freeByDecision],
      [m.undecided, w.undecided],
      [m.paid, w.paid.count],
    ] as const;
    return {
      tooltip: { trigger: 'item' },
      series: [{ type: 'pie', radius: ['35%', '65%'], data: rows.filter(([, v]) => v > 0).map(([name, value]) => ({ name, value })), label: { formatter: '{b}: {c}' } }],
    };
  }, [data, m]);

  const r = data?.responseTimes;
  const share = r?.onTimeShare === null || r?.onTimeShare === undefined ? m.none : `${(r.onTimeShare * 100).toFixed(1)}%`;

  return (
    <div>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {m.title}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{m.intro}</Typography.Paragraph>
      <DateRangeHeader id="service-range" label={m.range} from={from} to={to} onChange={(a, b) => setParams({ from: a, to: b }, { replace: true })}>
        <Button onClick={reload} disabled={bad}>
          {m.refresh}
        </Button>
        <Button href={withQuery('/api/v1/service/reports', { from, to, format: 'csv' })} disabled={bad} data-testid="service-csv">
          {m.downloadCsv}
        </Button>
        <Button href={withQuery('/api/v1/service/reports', { from, to, format: 'xlsx' })} disabled={bad} data-testid="service-xlsx">
          {m.downloadXlsx}
        </Button>
        <Button onClick={() => window.print()}>{m.print}</Button>
      </DateRangeHeader>
      {bad && <Alert type="warning" showIcon title={m.rangeTooLong} style={{ marginBottom: 16 }} />}
      {error !== undefined && <Alert type="error" showIcon title={m.loadFailed} description={errorText(error, lang)} style={{ marginBottom: 16 }} />}
      {loading && !data && <Spin style={{ margin: 48 }} aria-label={m.title} />}
      {data && (
        <Spin spinning={loading}>
          <Card title={m.responseTitle} size="small" style={{ marginBottom: 12 }} data-testid="response-times">
            <Row gutter={[12, 12]}>
              <Metric title={m.count} value={String(data.responseTimes.count)} />
              <Metric title={m.median} value={minutesText(data.responseTimes.medianMinutes, lang)} testId="median" />
              <Metric title={m.p90} value={minutesText(data.responseTimes.p90Minutes, lang)} />
              <Metric title={m.max} value={minutesText(data.responseTimes.maxMinutes, lang)} />
              <Metric title={m.onTime} value={String(data.responseTimes.onTime)} />
              <Metric title={m.late} value={String(data.responseTimes.late)} danger={data.responseTimes.late > 0} />
              <Metric title={m.onTimeShare} value={share} />
            </Row>
          </Card>
          <Row gutter={[12, 12]}>
            <Col xs={24} xl={12}>
              <Card title={m.mixTitle} size="small" data-testid="work-mix">
                <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
                  <Metric title={m.total} value={String(data.workMix.total)} />
                  <Metric title={m.collectedFen} value={yuan(data.workMix.paid.collectedFen)} testId="collected" />
                  <Metric title={m.invoicedFen} value={yuan(data.workMix.paid.invoicedFen)} />
                  <Metric title={m.outstandingFen} value={yuan(data.workMix.paid.outstandingFen)} danger={data.workMix.paid.outstandingFen > 0} />
                </Row>
                {chart && <EChart option={chart} ariaLabel={m.mixChart} height={240} />}
                <Table
                  size="small"
                  rowKey="key"
                  pagination={false}
                  dataSource={mixRows}
                  columns={[
                    { title: m.kind, dataIndex: 'kind' },
                    { title: m.countCol, dataIndex: 'count', align: 'right' },
                    { title: m.amountCol, dataIndex: 'amount', align: 'right', render: (f: number | null) => (f === null ? '' : yuan(f)) },
                  ]}
                />
              </Card>
            </Col>
            <Col xs={24} xl={12}>
              <Card title={m.satisfactionTitle} size="small" data-testid="satisfaction">
                <Table<SatisfactionRow>
                  size="small"
                  rowKey="product"
                  pagination={data.satisfactionByProduct.length > 15 ? { pageSize: 15 } : false}
                  dataSource={data.satisfactionByProduct}
                  locale={{ emptyText: m.noData }}
                  columns={[
                    { title: m.product, dataIndex: 'product' },
                    { title: m.answered, dataIndex: 'count', align: 'right' },
                    { title: m.average, dataIndex: 'average', align: 'right', render: (a: number) => a.toFixed(2) },
                    {
                      title: m.distribution,
                      key: 'dist',
                      render: (_, row) => (
                        <Space size={2} wrap>
                          {satisfactionScores
                            .filter((s) => row.distribution[s] > 0)
                            .map((s) => (
                              <Tag key={s} color={s >= 4 ? 'green' : s === 3 ? 'default' : 'red'}>
                                {fmt(m.scoreCount, { s, n: row.distribution[s] })}
                              </Tag>
                            ))}
                        </Space>
                      ),
                    },
                  ]}
                />
              </Card>
            </Col>
          </Row>
        </Spin>
      )}
    </div>
  );
}

function Metric({ title, value, danger, testId }: { title: string; value: string; danger?: boolean; testId?: string }) {
  return (
    <Col xs={12} md={8} lg={6}>
      <Card size="small" style={{ height: '100%' }} data-testid={testId}>
        <Statistic title={title} value={value} styles={danger ? { content: { color: '#cf1322' } } : undefined} />
      </Card>
    </Col>
  );
}
