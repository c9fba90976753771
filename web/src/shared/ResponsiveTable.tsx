/**
 * Issue 15 §7: a table on a desk, cards on a phone. Below 768 px a row of
 * eight columns squeezed to 390 px puts one character per line; each row
 * becomes a card instead: what it is (title and tags), where and by when
 * (a few lines), and what to do (its buttons). Above, the antd Table as given.
 */
import { Button, Card, Empty, Grid, Space, Spin, Table, type TableProps } from 'antd';
import type { ReactNode } from 'react';

export interface RowCard {
  /** what it is: the first line, bold */
  title: ReactNode;
  /** status tags beside the title */
  tags?: ReactNode;
  /** where, who, by when: one line each; empty ones are left out */
  lines: (ReactNode | null | false | undefined)[];
  /** the row's buttons */
  actions?: ReactNode;
  /** opens the row (the record's drawer, the refund's page) */
  onOpen?: (() => void) | undefined;
  openLabel?: string;
  /** the open button's accessible name when the label alone repeats on every card */
  openAriaLabel?: string;
  /** a late or urgent row is outlined in red, as the table shades it */
  urgent?: boolean;
  testId?: string;
}

/** true below 768 px (antd's md breakpoint), false above, false before the first measure */
export function usePhone(): boolean {
  return Grid.useBreakpoint().md === false;
}

export function ResponsiveTable<T extends object>({ card, cardListTestId, ...table }: TableProps<T> & { card: (row: T) => RowCard; cardListTestId?: string }) {
  const phone = usePhone();
  if (!phone) return <Table<T> {...table} />;
  const rows = (table.dataSource ?? []) as readonly T[];
  const key = (row: T, i: number): string => {
    const rk = table.rowKey;
    if (typeof rk === 'function') return String(rk(row, i));
    if (typeof rk === 'string') return String((row as Record<string, unknown>)[rk]);
    return String(i);
  };
  const loading = typeof table.loading === 'boolean' ? table.loading : !!table.loading?.spinning;
  const empty = table.locale?.emptyText;
  return (
    <div data-testid={cardListTestId ?? (table as { 'data-testid'?: string })['data-testid']} className="row-cards">
      <Spin spinning={loading}>
        {rows.length === 0 && !loading ? (
          typeof empty === 'function' ? empty() : (empty ?? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />)
        ) : (
          <Space orientation="vertical" size={8} style={{ width: '100%' }}>
            {rows.map((row, i) => {
              const c = card(row);
              return (
                <Card
                  key={key(row, i)}
                  size="small"
                  data-testid={c.testId}
                  style={c.urgent ? { borderColor: '#ff4d4f', background: '#fff1f0' } : undefined}
                  styles={{ body: { padding: 12 } }}
                >
                  <div style={{ display: 'flex', flexWrap: 'wrap', gap: 6, alignItems: 'center', marginBottom: 4 }}>
                    <strong style={{ fontSize: 15 }}>{c.title}</strong>
                    {c.tags}
                  </div>
                  {c.lines
                    .filter((l) => l !== null && l !== false && l !== undefined && l !== '')
                    .map((l, j) => (
                      <div key={j} style={{ color: j === 0 ? undefined : 'rgba(0,0,0,0.65)', lineHeight: 1.6 }}>
                        {l}
                      </div>
                    ))}
                  {(c.actions || c.onOpen) && (
                    <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginTop: 8 }}>
                      {c.onOpen && (
                        <Button type="primary" onClick={c.onOpen} style={{ flex: '1 1 auto' }} aria-label={c.openAriaLabel}>
                          {c.openLabel}
                        </Button>
                      )}
                      {c.actions}
                    </div>
                  )}
                </Card>
              );
            })}
          </Space>
        )}
      </Spin>
    </div>
  );
}

/** A card line with its label: "负责人  项目负责人-张工" (the label greyed, no punctuation to get wrong in either language). */
export function Labelled({ label, children }: { label: ReactNode; children: ReactNode }) {
  return (
    <span>
      <span style={{ color: 'rgba(0,0,0,0.45)', marginInlineEnd: 8 }}>{label}</span>
      {children}
    </span>
  );
}
