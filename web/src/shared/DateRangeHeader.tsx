/**
 * Issue 15 §8: one date-range header for the pages that report over a period
 * (the refund statistics, the service desk's reports): the label, the range
 * picker with the same presets everywhere (7, 30, 90 days, this month, this
 * year; Shanghai dates, both ends included), and the page's own buttons
 * (refresh, downloads, print) after it.
 */
import { DatePicker, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { ReactNode } from 'react';
import { addDays, shanghaiToday } from '../agent/pages/supervisor/dates.ts';
import { defineMessages, useMessages } from './i18n.tsx';

const rangeMessages = defineMessages({
  'zh-CN': { range: '日期范围', last7: '最近 7 天', last30: '最近 30 天', last90: '最近 90 天', thisMonth: '本月', thisYear: '今年' },
  en: { range: 'Date range', last7: 'Last 7 days', last30: 'Last 30 days', last90: 'Last 90 days', thisMonth: 'This month', thisYear: 'This year' },
});

export function DateRangeHeader({
  id,
  from,
  to,
  onChange,
  label,
  children,
}: {
  /** what the dates are of (来电日期); 日期范围 by default */
  label?: string;
  /** the picker's id (its label points at it) */
  id: string;
  /** YYYY-MM-DD, Shanghai */
  from: string;
  to: string;
  onChange: (from: string, to: string) => void;
  /** the page's buttons after the picker */
  children?: ReactNode;
}) {
  const m = useMessages(rangeMessages);
  const today = shanghaiToday();
  const presets: { label: string; value: [Dayjs, Dayjs] }[] = [
    { label: m.last7, value: [dayjs(addDays(today, -6)), dayjs(today)] },
    { label: m.last30, value: [dayjs(addDays(today, -29)), dayjs(today)] },
    { label: m.last90, value: [dayjs(addDays(today, -89)), dayjs(today)] },
    { label: m.thisMonth, value: [dayjs(`${today.slice(0, 8)}01`), dayjs(today)] },
    { label: m.thisYear, value: [dayjs(`${today.slice(0, 4)}-01-01`), dayjs(today)] },
  ];
  return (
    <Space wrap className="no-print" style={{ marginBottom: 16 }}>
      <label htmlFor={id}>{label ?? m.range}</label>
      <DatePicker.RangePicker
        id={{ start: id, end: `${id}-end` }}
        aria-label={label ?? m.range}
        allowClear={false}
        value={[dayjs(from), dayjs(to)]}
        presets={presets}
        onChange={(dates) => {
          const [a, b] = dates ?? [];
          if (a && b) onChange(a.format('YYYY-MM-DD'), b.format('YYYY-MM-DD'));
        }}
      />
      {children}
    </Space>
  );
}
