/**
 * S1.2: the supervisor's refund statistics for a date range (Beijing dates):
 * the rates (refund, refusal, dispute, retention), refunds by platform reason,
 * by real cause, by style and the most refunded SKUs, the missed seller
 * deadlines, and the same numbers as CSV / Excel downloads.
 */
import { DateRangeHeader } from '../../shared/DateRangeHeader.tsx';
import { Alert, Button, Card, Col, Row, Spin, Statistic, Typography } from 'antd';
import 'dayjs/locale/zh-cn';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { reasonLabels } from '../../../../src/contract/labels.ts';
import { rootCauseLabels } from '../../../../src/core/refund/root-causes.ts';
import { get, withQuery } from '../../shared/api.ts';
import { errorText } from '../../shared/errors.ts';
import { yuan } from '../../shared/format.ts';
import { fmt, labelOf, useLang, useMessages } from '../../shared/i18n.tsx';
import { useSignedIn } from '../../shared/session.tsx';
import { useLoad } from '../../shared/use-api.ts';
import { BreakdownCard, type BreakdownRow } from './supervisor/BreakdownCard.tsx';
import { addDays, daysBetween, isDate, shanghaiToday } from './supervisor/dates.ts';
import { MissedDeadlines } from './supervisor/MissedDeadlines.tsx';
import { statsMessages } from './supervisor/stats-messages.ts';

interface RefundStatistics {
  from: string;
  to: string;
  orders: number;
  refunds: number;
  refundedFen: number;
  refundRate: number | null;
  refusalRate: number;
  interventionRate: number;
  retention: { refunds: number; kept: number; rate: number };
  missedDeadlines: number;
  byReason: BreakdownRow[];
  byRootCause: BreakdownRow[];
  byStyle: BreakdownRow[];
  bySku: BreakdownRow[];
}

const MAX_DAYS = 400;
const TOP_SKUS = 15;
const pct = (rate: number | null) => (rate === null ? null : `${(rate * 100).toFixed(1)}%`);

export default function Stats() {
  const m = useMessages(statsMessages);
  const { lang } = useLang();
  const session = useSignedIn();
  const [params, setParams] = useSearchParams();
  const today = shanghaiToday();
  const from = isDate(params.get('from')) ? params.get('from')! : addDays(today, -29);
  const to = isDate(params.get('to')) ? params.get('to')! : today;
  const tooLong = daysBetween(from, to) > MAX_DAYS;
  const backwards = to < from;

  const { data, error, loading, reload } = useLoad(
    (signal) => (tooLong || backwards ? Promise.resolve(undefined) : get<RefundStatistics>('/stats/refunds', { from, to }, signal)),
    [from, to, tooLong, backwards],
  );

  const setRange = (nextFrom: string, nextTo: string) => setParams({ from: nextFrom, to: nextTo }, { replace: true });

  // the server labels in Chinese; the keys give the English
  const localized = useMemo(() => {
    if (!data) return null;
    const reason = (r: BreakdownRow) => ({ ...r, label: labelOf(reasonLabels[r.key as keyof typeof reasonLabels], lang, r.label) });
    const cause = (r: BreakdownRow) => ({
      ...r,
      label: r.key === 'unknown' ? m.notRecorded : labelOf(rootCauseLabels[r.key as keyof typeof rootCauseLabels], lang, r.label),
    });
    return {
      byReason: data.byReason.map(reason),
      byRootCause: data.byRootCause.map(cause),
      byStyle: data.byStyle,
      bySku: data.bySku.slice(0, TOP_SKUS),
    };
  }, [data, lang, m.notRecorded]);

  const download = (format: 'csv' | 'xlsx') => withQuery('/api/v1/stats/refunds', { from, to, format });
  const linkRefunds = session.role !== 'admin';

  return (
    <div>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {m.title}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{m.intro}</Typography.Paragraph>

      <DateRangeHeader id="stats-range" from={from} to={to} onChange={setRange}>
        <Button onClick={reload} disabled={tooLong}>
          {m.refresh}
        </Button>
        <Button href={download('csv')} disabled={tooLong} data-testid="stats-csv">
          {m.downloadCsv}
        </Button>
        <Button href={download('xlsx')} disabled={tooLong} data-testid="stats-xlsx">
          {m.downloadXlsx}
        </Button>
        <Button onClick={() => window.print()}>{m.print}</Button>
      </DateRangeHeader>

      {tooLong && <Alert type="warning" showIcon title={m.rangeTooLong} style={{ marginBottom: 16 }} />}
      {error !== undefined && <Alert type="error" showIcon title={m.loadFailed} description={errorText(error, lang)} style={{ marginBottom: 16 }} />}
      {loading && !data && <Spin style={{ margin: 48 }} aria-label={m.title} />}

      {data && localized && (
        <Spin spinning={loading}>
          <Row gutter={[12, 12]} style={{ marginBottom: 12 }} data-testid="stats-cards">
            <RateCard title={m.orders} value={String(data.orders)} />
            <RateCard title={m.refunds} value={String(data.refunds)} />
            <RateCard title={m.refundedFen} value={yuan(data.refundedFen)} />
            <RateCard title={m.refundRate} value={pct(data.refundRate) ?? m.noOrders} help={m.refundRateHelp} testId="rate-refund" />
            <RateCard title={m.refusalRate} value={pct(data.refusalRate)!} help={m.refusalRateHelp} testId="rate-refusal" />
            <RateCard title={m.interventionRate} value={pct(data.interventionRate)!} help={m.interventionRateHelp} testId="rate-intervention" />
            <RateCard
              title={m.retentionRate}
              value={pct(data.retention.rate)!}
              help={fmt(m.retentionRateHelp, { refunds: data.retention.refunds, kept: data.retention.kept })}
              testId="rate-retention"
            />
            <RateCard title={m.missedDeadlines} value={String(data.missedDeadlines)} help={m.missedDeadlinesHelp} danger={data.missedDeadlines > 0} />
          </Row>
          <Row gutter={[12, 12]}>
            <Col xs={24} xl={12}>
              <BreakdownCard title={m.byReason} rows={localized.byReason} kind="bar" testId="by-reason" />
            </Col>
            <Col xs={24} xl={12}>
              <BreakdownCard title={m.byRootCause} rows={localized.byRootCause} kind="pie" testId="by-root-cause" noneRecorded={m.noRootCauseYet} />
            </Col>
            <Col xs={24} xl={12}>
              <BreakdownCard title={m.byStyle} rows={localized.byStyle} kind="bar" testId="by-style" />
            </Col>
            <Col xs={24} xl={12}>
              <BreakdownCard title={fmt(m.bySku, { n: TOP_SKUS })} rows={localized.bySku} kind="bar" testId="by-sku" />
            </Col>
            <Col span={24}>
              <MissedDeadlines from={data.from} to={data.to} linkRefunds={linkRefunds} />
            </Col>
          </Row>
        </Spin>
      )}
    </div>
  );
}

function RateCard({ title, value, help, danger, testId }: { title: string; value: string; help?: string; danger?: boolean; testId?: string }) {
  return (
    <Col xs={12} md={8} lg={6}>
      <Card size="small" data-testid={testId} style={{ height: '100%' }}>
        <Statistic title={title} value={value} styles={danger ? { content: { color: '#cf1322' } } : undefined} />
        {help && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {help}
          </Typography.Text>
        )}
      </Card>
    </Col>
  );
}
