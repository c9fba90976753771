/**
 * The playbook card (S1): the shop's rules that match this refund, the
 * checklist to tick (what the system knows ticks itself and says where it
 * knows it from; S1.13's arrival and postage are records, not ticks), the
 * actions the SOP suggests (those this page does are buttons), and the guards
 * that apply, each explained in words.
 */
import { App as AntApp, Button, Card, Checkbox, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { post } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import type { Playbook } from '../../../shared/types.ts';
import { FactSourceLine, isPostageItem } from './CheckItems.tsx';
import { detailMessages, guardMessages, playbookActionMessages } from './messages.ts';

const ROOT_CAUSE_ITEM = 'S1.2.root_cause';

export function PlaybookCard({
  refundId,
  playbook,
  mayTick,
  onChanged,
  actionHandler,
}: {
  refundId: number;
  playbook: Playbook | null;
  mayTick: boolean;
  onChanged: () => void;
  /** the page's handler for a suggested action, or null when this page does not do it (or the role may not) */
  actionHandler: (action: string) => (() => void) | null;
}) {
  const m = useMessages(detailMessages);
  const g = useMessages(guardMessages) as Record<string, string>;
  const a = useMessages(playbookActionMessages) as Record<string, string>;
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const [pending, setPending] = useState<string | null>(null);

  const title = <h2 style={{ fontSize: 16, margin: 0 }}>{m.playbook}</h2>;
  if (!playbook) {
    return (
      <Card size="small" title={title} style={{ marginBottom: 12 }} data-testid="playbook">
        <Typography.Text type="secondary">{m.noPlaybook}</Typography.Text>
      </Card>
    );
  }

  const tick = async (item: Playbook['checklist'][number], ticked: boolean) => {
    setPending(item.id);
    try {
      await post(`/refunds/${refundId}/checklist`, { ruleId: item.ruleId, itemId: item.id, ticked });
      message.success(ticked ? m.ticked : m.unticked);
      onChanged();
    } catch (err) {
      message.error(errorText(err, lang));
    } finally {
      setPending(null);
    }
  };

  const rootCause = actionHandler('root.cause');
  const postage = actionHandler('return.postage');
  return (
    <Card
      size="small"
      title={title}
      extra={
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {fmt(m.playbookVersion, { version: playbook.ruleSetVersion })}
          {playbook.handledUnderVersion != null && playbook.handledUnderVersion !== playbook.ruleSetVersion
            ? ` · ${fmt(m.handledUnder, { version: playbook.handledUnderVersion })}`
            : ''}
        </Typography.Text>
      }
      style={{ marginBottom: 12 }}
      data-testid="playbook"
    >
      <section aria-label={m.matchedRules}>
        <Typography.Title level={3} style={{ fontSize: 14, marginTop: 0 }}>
          {m.matchedRules}
        </Typography.Title>
        <ul style={{ paddingInlineStart: 0, listStyle: 'none', margin: 0 }}>
          {playbook.rules.map((r) => (
            <li key={r.id} style={{ marginBottom: 4 }} data-rule={r.id}>
              <Tag color="volcano">{r.id}</Tag>
              {r.title}
            </li>
          ))}
        </ul>
      </section>

      {playbook.checklist.length > 0 && (
        <section aria-label={m.checklist} style={{ marginTop: 12 }}>
          <Typography.Title level={3} style={{ fontSize: 14 }}>
            {m.checklist} ({playbook.checklist.filter((c) => c.done).length}/{playbook.checklist.length})
          </Typography.Title>
          <ul style={{ paddingInlineStart: 0, listStyle: 'none', margin: 0 }}>
            {playbook.checklist.map((item) => (
              <li key={item.id} style={{ marginBottom: 4 }}>
                {item.id === ROOT_CAUSE_ITEM ? (
                  <Space>
                    <Checkbox checked={item.done} disabled aria-label={item.text} />
                    <span>{item.text}</span>
                    {rootCause && (
                      <Button size="small" onClick={rootCause}>
                        {m.recordRootCause}
                      </Button>
                    )}
                  </Space>
                ) : !item.tickable ? (
                  // done by a record only (S1.13: the warehouse's arrival, the return postage value): never a tick
                  <div data-item={item.id} data-done={item.done}>
                    <Space size={4} wrap>
                      <Checkbox checked={item.done} disabled aria-label={item.text} />
                      <Tag style={{ marginInlineEnd: 0 }}>{item.ruleId}</Tag>
                      <span style={{ textDecoration: item.done ? 'line-through' : undefined, color: item.done ? '#8c8c8c' : undefined }}>{item.text}</span>
                      {isPostageItem(item) && postage && (
                        <Button size="small" type={item.done ? 'default' : 'primary'} onClick={postage} data-testid="postage-button">
                          {item.done ? m.postageEdit : m.postageSet}
                        </Button>
                      )}
                    </Space>
                    {!item.done && !isPostageItem(item) && (
                      <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
                        {m.recordOnly}
                      </Typography.Text>
                    )}
                  </div>
                ) : (
                  <Checkbox
                    checked={item.done}
                    disabled={!mayTick || pending === item.id}
                    onChange={(e) => void tick(item, e.target.checked)}
                    data-item={item.id}
                  >
                    <Tag style={{ marginInlineEnd: 4 }}>{item.ruleId}</Tag>
                    <span style={{ textDecoration: item.done ? 'line-through' : undefined, color: item.done ? '#8c8c8c' : undefined }}>{item.text}</span>
                  </Checkbox>
                )}
                {item.doneBy === 'facts' && item.source && (
                  <div style={{ paddingInlineStart: 24 }}>
                    <FactSourceLine source={item.source} />
                  </div>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}

      {playbook.actions.length > 0 && (
        <section aria-label={m.offered} style={{ marginTop: 12 }}>
          <Typography.Title level={3} style={{ fontSize: 14 }}>
            {m.offered}
          </Typography.Title>
          <Space wrap size={[6, 6]}>
            {playbook.actions.map((action) => {
              const run = actionHandler(action);
              const label = a[action] ?? action;
              return run ? (
                <Button key={action} size="small" onClick={run} className="no-print" data-testid={`playbook-action-${action}`}>
                  {label}
                </Button>
              ) : (
                <Tag key={action}>{label}</Tag>
              );
            })}
          </Space>
        </section>
      )}

      <section aria-label={m.guards} style={{ marginTop: 12 }}>
        <Typography.Title level={3} style={{ fontSize: 14 }}>
          {m.guards}
        </Typography.Title>
        {playbook.guards.length === 0 ? (
          <Typography.Text type="secondary">{m.guardsNone}</Typography.Text>
        ) : (
          <ul style={{ paddingInlineStart: 18, margin: 0 }}>
            {playbook.guards.map((code) => (
              <li key={code} data-guard={code} style={{ marginBottom: 4 }}>
                {g[code] ?? code}
              </li>
            ))}
          </ul>
        )}
      </section>
    </Card>
  );
}
