/**
 * S5.6, S5.8 the dispatch register (售后派出登记): the open dispatches, the
 * longest waiting first, with the deadline (the same day as the call or the
 * next) and the flags; late without a notice to the customer in red. A lead
 * sees his own first ("mine").
 */
import { Alert, Button, Checkbox, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { get } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { useLang, useMessages } from '../../../shared/i18n.tsx';
import { useSignedIn } from '../../../shared/session.tsx';
import { useLoad } from '../../../shared/use-api.ts';
import { listOf } from './CallForm.tsx';
import { DispatchActionModal, DispatchRows } from './DispatchParts.tsx';
import { serviceMessages } from './messages.ts';
import type { DispatchView } from './model.ts';

export function DispatchesTab({ onlyMine = false, reloadKey = 0 }: { onlyMine?: boolean; reloadKey?: number }) {
  const m = useMessages(serviceMessages);
  const { lang } = useLang();
  const { user } = useSignedIn();
  const [onlyLate, setOnlyLate] = useState(false);
  const [target, setTarget] = useState<{ d: DispatchView; action: string } | null>(null);
  const loaded = useLoad((signal) => get<DispatchView[] | { items: DispatchView[] }>('/service/dispatches', { open: 'true', limit: 500 }, signal).then(listOf), [reloadKey]);
  const rows = useMemo(
    () => (loaded.data ?? []).filter((d) => (!onlyMine || d.lead.userId === user?.id) && (!onlyLate || d.flags.flag === 'late_without_notice')),
    [loaded.data, onlyMine, onlyLate, user],
  );
  const lateCount = (loaded.data ?? []).filter((d) => d.flags.flag === 'late_without_notice').length;

  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid={onlyMine ? 'my-dispatches' : 'dispatch-register'}>
      {!onlyMine && <Typography.Paragraph type="secondary">{m.dispatchIntro}</Typography.Paragraph>}
      <Space wrap className="no-print">
        <Checkbox checked={onlyLate} onChange={(e) => setOnlyLate(e.target.checked)}>
          {m.onlyLate} ({lateCount})
        </Checkbox>
        <Button onClick={loaded.reload}>{m.reload}</Button>
      </Space>
      {loaded.error != null && <Alert type="error" showIcon title={errorText(loaded.error, lang)} />}
      <DispatchRows dispatches={rows} loading={loaded.loading} onAction={(d, action) => setTarget({ d, action })} empty={m.noOpenDispatches} />
      <DispatchActionModal
        target={target}
        onClose={() => setTarget(null)}
        onDone={() => {
          setTarget(null);
          loaded.reload();
        }}
      />
    </Space>
  );
}
