/**
 * The send-back board (送检, S4.3): every send-back of the shop as a card in
 * the column of its status, from the request to the parcel shipped back;
 * closed and cancelled ones share the last column. A card opens the drawer
 * (?sb=<id>) with the history and the actions the caller may take. Reloads
 * on demand and every minute while visible (never faster than 15 s).
 */
import { Alert, Badge, Button, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { get } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { dateTime } from '../../../shared/format.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import { useLoad } from '../../../shared/use-api.ts';
import type { SendBackStatus, SendBackView } from '../../../shared/warranty-types.ts';
import { sendBackStatusColours } from './DeviceFacts.tsx';
import { warrantyMessages } from './messages.ts';

const columns: { key: string; statuses: SendBackStatus[] }[] = [
  { key: 'requested', statuses: ['requested'] },
  { key: 'terms_accepted', statuses: ['terms_accepted'] },
  { key: 'received', statuses: ['received'] },
  { key: 'tested', statuses: ['tested'] },
  { key: 'reported', statuses: ['reported'] },
  { key: 'decided', statuses: ['decided'] },
  { key: 'shipped_back', statuses: ['shipped_back'] },
  { key: 'done', statuses: ['closed', 'cancelled'] },
];

/** Cards shown per column before "more". */
const PAGE = 20;
const REFRESH_MS = 60_000;
/** Send-backs per request (the server's maximum). */
const LIMIT = 200;

export function RmaBoard({ onOpen, tick }: { onOpen: (id: number) => void; tick: number }) {
  const m = useMessages(warrantyMessages);
  const { lang } = useLang();
  const { data, error, loading, reload } = useLoad((signal) => get<{ items: SendBackView[] }>('/send-backs', { limit: LIMIT }, signal), [tick]);
  const [shown, setShown] = useState<Record<string, number>>({});
  // older pages (newest first from the server), fetched on demand; a reload starts again from the newest
  const [older, setOlder] = useState<SendBackView[]>([]);
  const [olderDone, setOlderDone] = useState(false);
  const [olderBusy, setOlderBusy] = useState(false);
  const [olderError, setOlderError] = useState<unknown>(null);
  useEffect(() => {
    setOlder([]);
    setOlderDone(false);
  }, [data]);
  const loadOlder = async () => {
    const all = [...(data?.items ?? []), ...older];
    const last = all[all.length - 1];
    if (!last) return;
    setOlderBusy(true);
    setOlderError(null);
    try {
      const page = await get<{ items: SendBackView[] }>('/send-backs', { limit: LIMIT, beforeId: Math.min(...all.map((s) => s.id)) });
      setOlder((o) => [...o, ...page.items]);
      if (page.items.length < LIMIT) setOlderDone(true);
    } catch (err) {
      setOlderError(err);
    } finally {
      setOlderBusy(false);
    }
  };

  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);

  const items = [...(data?.items ?? []), ...older];
  const mayHaveOlder = !olderDone && (older.length > 0 || (data?.items.length ?? 0) === LIMIT);
  return (
    <div>
      <Space wrap className="no-print" style={{ marginBottom: 12 }}>
        <Button onClick={reload} loading={loading}>
          {m.reload}
        </Button>
        <Typography.Text type="secondary">{fmt(m.boardCount, { n: items.length })}</Typography.Text>
        {mayHaveOlder ? (
          <Button onClick={() => void loadOlder()} loading={olderBusy}>
            {m.loadOlder}
          </Button>
        ) : null}
      </Space>
      {error || olderError ? <Alert type="error" showIcon title={errorText(error ?? olderError, lang)} role="alert" style={{ marginBottom: 12 }} /> : null}
      <div
        className="rma-board"
        data-testid="rma-board"
        style={{ display: 'grid', gridTemplateColumns: `repeat(${columns.length}, minmax(130px, 1fr))`, gap: 8, overflowX: 'auto', paddingBottom: 8, alignItems: 'start' }}
      >
        {columns.map((col) => {
          const cards = items
            .filter((s) => col.statuses.includes(s.status))
            .sort((a, b) => (col.key === 'done' ? b.updatedAt.localeCompare(a.updatedAt) : a.updatedAt.localeCompare(b.updatedAt)));
          const limit = shown[col.key] ?? PAGE;
          const title = col.key === 'done' ? m.column_done : m[`status_${col.key as SendBackStatus}`];
          return (
            <section
              key={col.key}
              aria-label={title}
              data-testid={`rma-column-${col.key}`}
              style={{ minWidth: 0, background: '#fafafa', border: '1px solid #f0f0f0', borderRadius: 8, padding: 8, minHeight: 120 }}
            >
              <h3 style={{ fontSize: 14, margin: '0 0 8px', display: 'flex', justifyContent: 'space-between' }}>
                <span>{title}</span>
                <Badge count={cards.length} showZero color={cards.length ? '#d4380d' : '#bfbfbf'} />
              </h3>
              {cards.slice(0, limit).map((s) => (
                <button
                  key={s.id}
                  type="button"
                  onClick={() => onOpen(s.id)}
                  data-testid="rma-card"
                  aria-label={fmt(m.openSendBackAria, { id: s.id })}
                  style={{
                    display: 'block',
                    width: '100%',
                    textAlign: 'left',
                    background: '#fff',
                    border: '1px solid #d9d9d9',
                    borderRadius: 6,
                    padding: 8,
                    marginBottom: 8,
                    cursor: 'pointer',
                    font: 'inherit',
                    minWidth: 0,
                    overflow: 'hidden',
                  }}
                >
                  <div style={{ display: 'flex', justifyContent: 'space-between', gap: 4 }}>
                    <strong>#{s.id}</strong>
                    {col.key === 'done' ? <Tag color={sendBackStatusColours[s.status]}>{m[`status_${s.status}`]}</Tag> : null}
                  </div>
                  <div>
                    {s.device.brand} {s.device.model}
                  </div>
                  <div style={{ fontFamily: 'monospace', fontSize: 12, color: '#595959' }}>{s.device.deviceId}</div>
                  <div style={{ fontSize: 12 }}>
                    {s.sendBack.item.part === 'host' ? m.part_host : m[`acc_${s.sendBack.item.part}`]}
                    {s.sendBack.chosenRemedy ? ` · ${m[`remedy_${s.sendBack.chosenRemedy}`]}` : ''}
                  </div>
                  <div style={{ fontSize: 12, color: '#8c8c8c', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{s.sendBack.faultDescription}</div>
                  <div style={{ fontSize: 12, color: '#8c8c8c' }}>{dateTime(s.updatedAt, lang)}</div>
                </button>
              ))}
              {cards.length > limit ? (
                <Button size="small" block onClick={() => setShown((x) => ({ ...x, [col.key]: limit + PAGE }))}>
                  {fmt(m.showMore, { n: cards.length - limit })}
                </Button>
              ) : null}
              {cards.length === 0 ? <Typography.Text type="secondary">{m.columnEmpty}</Typography.Text> : null}
            </section>
          );
        })}
      </div>
    </div>
  );
}
