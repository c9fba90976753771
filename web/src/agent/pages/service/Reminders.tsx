/**
 * S5.8: the emergencies' paperwork reminders for the signed-in person
 * (GET /service/reminders), shown at the top of the desk until the records
 * are complete. Refreshed every minute at most (the quality bar: no polling
 * faster than 15 s).
 */
import { Alert, Button, Space, Typography } from 'antd';
import { useEffect } from 'react';
import { get } from '../../../shared/api.ts';
import { fmt, labelOf, useLang, useMessages } from '../../../shared/i18n.tsx';
import { useLoad } from '../../../shared/use-api.ts';
import { listOf } from './CallForm.tsx';
import { useDeskLinks } from './links.tsx';
import { serviceMessages } from './messages.ts';
import type { ReminderRow } from './model.ts';

export function Reminders({ reloadKey }: { reloadKey: number }) {
  const m = useMessages(serviceMessages);
  const { lang } = useLang();
  const links = useDeskLinks();
  const loaded = useLoad((signal) => get<ReminderRow[] | { items: ReminderRow[] }>('/service/reminders', undefined, signal).then(listOf), [reloadKey]);
  const { reload } = loaded;
  useEffect(() => {
    const t = setInterval(reload, 60_000);
    return () => clearInterval(t);
  }, [reload]);
  const rows = loaded.data ?? [];
  if (rows.length === 0) return null;
  // one line per record: its missing items together
  const byRecord = new Map<number, ReminderRow[]>();
  for (const r of rows) byRecord.set(r.recordId, [...(byRecord.get(r.recordId) ?? []), r]);
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 16 }}
      title={m.remindersTitle}
      data-testid="reminders"
      description={
        <Space orientation="vertical" size={4} style={{ width: '100%' }}>
          <Typography.Text>{m.remindersIntro}</Typography.Text>
          {[...byRecord.entries()].map(([recordId, list]) => (
            <Space key={recordId} wrap>
              <Button size="small" danger onClick={() => links.openRecord(recordId)}>
                {fmt(m.reminderOpen, { id: recordId })}
              </Button>
              <Typography.Text>{list[0]?.archive ? `${list[0].archive.organisation} · ${list[0].archive.product}` : ''}</Typography.Text>
              {/* issue 15 §7: what is missing, in a few words, once (the rule's sentence is the title's) */}
              <Typography.Text type="secondary" data-testid="reminder-missing">
                {fmt(m.reminderMissing, { items: list.map((r) => labelOf(r.label, lang)).join(lang === 'en' ? ', ' : '、') })}
              </Typography.Text>
            </Space>
          ))}
        </Space>
      }
    />
  );
}
