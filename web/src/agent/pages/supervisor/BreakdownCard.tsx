/**
 * One breakdown of the refund statistics (S1.2) as a chart, with the same
 * numbers as a table one click away (and for screen readers, the chart's
 * aria-label names the biggest items).
 */
import { Card, Empty, Segmented, Table } from 'antd';
import { useMemo, useState } from 'react';
import { yuan } from '../../../shared/format.ts';
import { fmt, useMessages } from '../../../shared/i18n.tsx';
import { EChart, type ChartOption } from './EChart.tsx';
import { statsMessages } from './stats-messages.ts';

export interface BreakdownRow {
  key: string;
  label: string;
  refunds: number;
  amountFen: number;
}

const percent = (part: number, whole: number) => (whole === 0 ? '—' : `${((part / whole) * 100).toFixed(1)}%`);

/** `noneRecorded`: said instead of a chart when every row is the `unknown` key (nothing recorded yet), not a 100 % ring of 未填写. */
export function BreakdownCard({ title, rows, kind, testId, noneRecorded }: { title: string; rows: BreakdownRow[]; kind: 'bar' | 'pie'; testId: string; noneRecorded?: string }) {
  const m = useMessages(statsMessages);
  const [view, setView] = useState<'chart' | 'table'>('chart');
  const total = rows.reduce((sum, r) => sum + r.refunds, 0);

  const option = useMemo((): ChartOption => {
    const tooltipOf = (i: number) => {
      const r = rows[i];
      return r ? `${r.label}<br/>${m.count}: ${r.refunds}<br/>${m.amount}: ${yuan(r.amountFen)}` : '';
    };
    if (kind === 'pie') {
      return {
        tooltip: { trigger: 'item', formatter: (p: unknown) => tooltipOf((p as { dataIndex: number }).dataIndex) },
        series: [
          {
            type: 'pie',
            radius: ['35%', '62%'],
            center: ['50%', '50%'],
            label: { formatter: '{b}: {c}' },
            data: rows.map((r) => ({ name: r.label, value: r.refunds })),
          },
        ],
      };
    }
    // horizontal bars, the biggest on top
    const reversed = [...rows].reverse();
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: (p: unknown) => tooltipOf(rows.length - 1 - (p as { dataIndex: number }[])[0]!.dataIndex) },
      grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: reversed.map((r) => r.label), axisLabel: { width: 130, overflow: 'truncate' } },
      series: [{ type: 'bar', data: reversed.map((r) => r.refunds), label: { show: true, position: 'right' }, itemStyle: { color: '#d4380d' }, barMaxWidth: 22 }],
    };
  }, [rows, kind, m]);

  const ariaLabel = fmt(m.chartSummary, {
    title,
    items: rows
      .slice(0, 8)
      .map((r) => fmt(m.chartSummaryItem, { label: r.label, count: r.refunds }))
      .join(', '),
  });
  const height = kind === 'pie' ? 340 : Math.max(180, rows.length * 28 + 24);

  return (
    <Card
      title={title}
      size="small"
      data-testid={testId}
      extra={
        <Segmented
          className="no-print"
          size="small"
          aria-label={`${title} · ${m.viewAs}`}
          value={view}
          onChange={(v) => setView(v as 'chart' | 'table')}
          options={[
            { value: 'chart', label: m.viewChart },
            { value: 'table', label: m.viewTable },
          ]}
        />
      }
    >
      {rows.length === 0 ? (
        <Empty description={m.empty} />
      ) : noneRecorded && rows.every((r) => r.key === 'unknown') ? (
        <Empty description={noneRecorded} data-testid={`${testId}-none-recorded`} />
      ) : view === 'chart' ? (
        <EChart option={option} ariaLabel={ariaLabel} height={height} testId={`${testId}-chart`} />
      ) : (
        <Table<BreakdownRow>
          size="small"
          rowKey="key"
          pagination={rows.length > 15 ? { pageSize: 15, size: 'small' } : false}
          dataSource={rows}
          columns={[
            { title: m.item, dataIndex: 'label' },
            { title: m.count, dataIndex: 'refunds', align: 'right' },
            { title: m.share, key: 'share', align: 'right', render: (_, r) => percent(r.refunds, total) },
            { title: m.amount, dataIndex: 'amountFen', align: 'right', render: (fen: number) => yuan(fen) },
          ]}
        />
      )}
    </Card>
  );
}
