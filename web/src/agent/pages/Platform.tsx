/**
 * 店铺授权 (admin, supervisor; issue 12): the shop's binding to Taobao/Tmall
 * (GET /platform/binding) — bind it (admin), or see it with its status, the
 * session key's expiry, a connection test, and the admin's edit, re-authorise
 * and revoke; then the sync of each stream (refreshed every 5 s while the
 * backfill runs and the page is shown), the sync problems and the decisions
 * sent back to the platform.
 */
import { Alert, App as AntApp, Button, Card, Space, Spin, Typography } from 'antd';
import { useState } from 'react';
import { get } from '../../shared/api.ts';
import { errorText } from '../../shared/errors.ts';
import { useLang, useMessages } from '../../shared/i18n.tsx';
import { useSignedIn } from '../../shared/session.tsx';
import { useLoad } from '../../shared/use-api.ts';
import { usePolling } from '../../shared/use-polling.ts';
import { BindingCard } from './platform/BindingCard.tsx';
import { BindingForm } from './platform/BindingForm.tsx';
import { platformMessages } from './platform/messages.ts';
import type { BindingView } from './platform/model.ts';
import { OutboxCard } from './platform/OutboxCard.tsx';
import { ProblemsCard } from './platform/ProblemsCard.tsx';
import { SyncCard } from './platform/SyncCard.tsx';

const POLL_MS = 5000;

export default function Platform() {
  const m = useMessages(platformMessages);
  const { lang } = useLang();
  const session = useSignedIn();
  const { message } = AntApp.useApp();
  const isAdmin = session.role === 'admin';
  const mayAct = session.role === 'admin' || session.role === 'supervisor';
  const [refresh, setRefresh] = useState(0);
  const loaded = useLoad((signal) => get<BindingView | null>('/platform/binding', undefined, signal), [refresh]);
  // the last answer stays on screen while the next one loads (polling, a refresh)
  const view = loaded.data;
  const backfilling = !!view && view.status === 'active' && view.streams.some((s) => s.phase === 'backfill');
  usePolling(backfilling, loaded.reload, POLL_MS);

  const changed = () => setRefresh((n) => n + 1);

  return (
    <div data-testid="platform-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', alignItems: 'baseline' }} wrap>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {m.title}
        </Typography.Title>
        <Button onClick={() => changed()} loading={loaded.loading && loaded.data !== undefined && !backfilling}>
          {m.reload}
        </Button>
      </Space>
      <Typography.Paragraph type="secondary">{m.intro}</Typography.Paragraph>
      {loaded.error !== undefined && (
        <Alert type="error" showIcon title={m.loadFailed} description={errorText(loaded.error, lang)} style={{ marginBottom: 12 }} action={<Button onClick={loaded.reload}>{m.reload}</Button>} />
      )}
      {view === undefined ? (
        loaded.error === undefined && <Spin style={{ margin: 48 }} aria-label={m.loading} />
      ) : view === null ? (
        <NotBound
          isAdmin={isAdmin}
          onBound={() => {
            message.success(m.bound);
            changed();
          }}
        />
      ) : (
        <>
          <BindingCard view={view} isAdmin={isAdmin} mayAct={mayAct} onChanged={changed} />
          <SyncCard streams={view.streams} polling={backfilling} />
          <ProblemsCard mayAct={mayAct} openCount={view.problemsOpen} reloadKey={`${view.problemsOpen}/${refresh}`} />
          <OutboxCard mayAct={mayAct} counts={view.outbox} reloadKey={`${view.outbox.pending}/${view.outbox.failed}/${refresh}`} />
        </>
      )}
    </div>
  );
}

function NotBound({ isAdmin, onBound }: { isAdmin: boolean; onBound: () => void }) {
  const m = useMessages(platformMessages);
  const { lang } = useLang();
  return (
    <>
      <Alert
        type="info"
        showIcon
        title={<strong>{m.notBoundTitle}</strong>}
        description={isAdmin ? m.notBoundText : [m.notBoundText, m.notBoundAskAdmin].join(lang === 'en' ? ' ' : '')}
        style={{ marginBottom: 16 }}
        data-testid="not-bound"
      />
      {isAdmin && (
        <Card size="small" title={m.bindTitle}>
          <BindingForm mode="create" view={null} onSaved={onBound} />
        </Card>
      )}
    </>
  );
}
