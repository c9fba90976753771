/**
 * Issue 15 §2: the queue's columns a seller scans for, chosen and ordered by
 * each person (kept in the browser per user), and the row's chips: what the
 * warehouse and finance did about the refund.
 */
import { Button, Checkbox, Popover, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { RowMark } from '../../../../../src/contract/queue-row.ts';
import { fmt, useMessages } from '../../../shared/i18n.tsx';
import type { Refund } from '../../../shared/types.ts';
import { columnMessages } from './column-messages.ts';

/** Columns that can be hidden or moved; the time left and the order number always lead. */
export const choosableColumns = ['product', 'buyer', 'status', 'marks', 'type', 'reason', 'amount', 'phase', 'assignee', 'created'] as const;
export type ChoosableColumn = (typeof choosableColumns)[number];

const storageKey = (userId: number) => `shouhou.queue.columns.${userId}`;

export function loadColumns(userId: number): ChoosableColumn[] {
  try {
    const saved = JSON.parse(localStorage.getItem(storageKey(userId)) ?? 'null') as unknown;
    if (Array.isArray(saved)) {
      const known = saved.filter((c): c is ChoosableColumn => (choosableColumns as readonly string[]).includes(String(c)));
      if (known.length > 0) return [...new Set(known)];
    }
  } catch {
    // a broken entry: the defaults
  }
  return [...choosableColumns];
}

function saveColumns(userId: number, columns: readonly ChoosableColumn[]): void {
  try {
    localStorage.setItem(storageKey(userId), JSON.stringify(columns));
  } catch {
    // private mode: the choice lasts for this page only
  }
}

/** The "列" button: tick the columns to show, move them up and down; saved for this user. */
export function ColumnChooser({ userId, value, onChange }: { userId: number; value: ChoosableColumn[]; onChange: (next: ChoosableColumn[]) => void }) {
  const m = useMessages(columnMessages) as Record<string, string>;
  const [open, setOpen] = useState(false);
  // shown ones in their order, then the hidden ones
  const order = [...value, ...choosableColumns.filter((c) => !value.includes(c))];
  const set = (next: ChoosableColumn[]) => {
    saveColumns(userId, next);
    onChange(next);
  };
  const move = (c: ChoosableColumn, by: -1 | 1) => {
    const i = value.indexOf(c);
    const j = i + by;
    if (i < 0 || j < 0 || j >= value.length) return;
    const next = [...value];
    [next[i], next[j]] = [next[j]!, next[i]!];
    set(next);
  };
  const content = (
    <div style={{ display: 'grid', gap: 4, minWidth: 220 }} data-testid="column-chooser">
      {order.map((c) => {
        const shown = value.includes(c);
        return (
          <div key={c} style={{ display: 'flex', alignItems: 'center', gap: 4 }}>
            <Checkbox
              checked={shown}
              style={{ flex: 1 }}
              onChange={(e) => set(e.target.checked ? [...value, c] : value.length > 1 ? value.filter((x) => x !== c) : value)}
            >
              {m[`col_${c}`]}
            </Checkbox>
            <Button size="small" type="text" disabled={!shown || value.indexOf(c) === 0} onClick={() => move(c, -1)} aria-label={`${m.moveUp} ${m[`col_${c}`]}`}>
              ↑
            </Button>
            <Button size="small" type="text" disabled={!shown || value.indexOf(c) === value.length - 1} onClick={() => move(c, 1)} aria-label={`${m.moveDown} ${m[`col_${c}`]}`}>
              ↓
            </Button>
          </div>
        );
      })}
      <Button size="small" onClick={() => set([...choosableColumns])}>
        {m.resetColumns}
      </Button>
    </div>
  );
  return (
    <Popover open={open} onOpenChange={setOpen} trigger="click" placement="bottomRight" title={m.chooseColumns} content={content}>
      <Button data-testid="columns-button">{m.columns}</Button>
    </Popover>
  );
}

const markColour: Record<RowMark, string> = {
  arrived: 'green',
  batched: 'gold',
  voided: 'red',
  already_shipped: 'volcano',
  claim: 'magenta',
  invoice: 'blue',
  postage: 'cyan',
  courier: 'orange',
  department: 'purple',
};

/** What the warehouse and finance did: 已到货, 仓库已作废, 索赔中 … */
export function MarkChips({ refund }: { refund: Refund }) {
  const m = useMessages(columnMessages) as Record<string, string>;
  const marks = refund.row?.marks ?? [];
  if (marks.length === 0) return null;
  return (
    <Space size={[2, 2]} wrap data-testid="row-marks">
      {marks.map((k) => (
        <Tag key={k} color={markColour[k]} style={{ marginInlineEnd: 0 }} data-mark={k}>
          {m[`mark_${k}`]}
        </Tag>
      ))}
    </Space>
  );
}

/** Taobao's seller flags: 1 red, 2 yellow, 3 green, 4 blue, 5 purple. */
const flagColours = ['', '#f5222d', '#faad14', '#52c41a', '#1677ff', '#722ed1'];

/** The order's latest remark flag, as the seller centre shows it. */
export function RemarkFlag({ flag }: { flag: number | null | undefined }) {
  const m = useMessages(columnMessages) as Record<string, string>;
  if (!flag || !flagColours[flag]) return null;
  // a native title, not an antd Tooltip: a row renders cheaply (the queue's first render)
  return (
    <span role="img" aria-label={m[`flag_${flag}`]} title={m[`flag_${flag}`]} style={{ color: flagColours[flag], marginInlineEnd: 4 }} data-testid="remark-flag">
      ⚑
    </span>
  );
}

/** The product on one line (a compact row): title, then SKU and size, greyed; the whole in a tooltip. */
export function ProductCell({ refund }: { refund: Refund }) {
  const m = useMessages(columnMessages);
  const row = refund.row;
  if (!row?.title) return <Typography.Text type="secondary">—</Typography.Text>;
  const detail = [row.sku, row.size ? `${m.size} ${row.size}` : null, row.lineCount > 1 ? fmt(m.moreLines, { n: row.lineCount }) : null].filter(Boolean).join(' · ');
  return (
    <div title={`${row.title}${detail ? ` · ${detail}` : ''}`} style={{ maxWidth: 260, whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }} data-testid="row-product">
      {row.title}
      {detail && <span style={{ color: 'rgba(0,0,0,0.45)', marginInlineStart: 6 }}>{detail}</span>}
    </div>
  );
}
