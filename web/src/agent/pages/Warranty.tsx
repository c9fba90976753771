/**
 * 三包售后 (S4, issue 6): phones under the national 三包 policy.
 *   设备 — find a device by IMEI/MEID or order number, its facts, register a sale
 *   三包判定 — the decision with the clause that decides it (S4.2–S4.5)
 *   送检看板 — the send-backs by status, each in a drawer with its actions (S4.3–S4.5)
 *   三包设置 — the supervisor's editor of the policy and the service points (S4.1–S4.5)
 * The card (S4.1) is the server's printable page, opened in a new tab.
 * The URL keeps the state: ?tab=devices|decide|rma|settings &q=… &device=<id> &sb=<id>.
 */
import { Alert, Button, Space, Spin, Tabs, Typography } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { useSearchParams } from 'react-router';
import { get } from '../../shared/api.ts';
import { errorText } from '../../shared/errors.ts';
import { useLang, useMessages } from '../../shared/i18n.tsx';
import { useSignedIn } from '../../shared/session.tsx';
import { useLoad } from '../../shared/use-api.ts';
import type { DeviceDetail } from '../../shared/warranty-types.ts';
import { DecideForm } from './warranty/DecideForm.tsx';
import { DeviceFacts } from './warranty/DeviceFacts.tsx';
import { DeviceLookup } from './warranty/DeviceLookup.tsx';
import { warrantyMessages } from './warranty/messages.ts';
import { OpenSendBack } from './warranty/OpenSendBack.tsx';
import { RegisterDevice } from './warranty/RegisterDevice.tsx';
import { RmaBoard } from './warranty/RmaBoard.tsx';
import { SendBackDrawer } from './warranty/SendBackDrawer.tsx';
import { settingsMessages } from './warranty/settings-messages.ts';

const SettingsTab = lazy(() => import('./warranty/SettingsTab.tsx'));

type Tab = 'devices' | 'decide' | 'rma' | 'settings';
const tabs: readonly Tab[] = ['devices', 'decide', 'rma', 'settings'];
/** Who registers sales, decides and opens send-backs (the server checks it again). */
const deciders = ['agent', 'supervisor'];

export default function Warranty() {
  const m = useMessages(warrantyMessages);
  const settingsWords = useMessages(settingsMessages);
  const { lang } = useLang();
  const session = useSignedIn();
  const [params, setParams] = useSearchParams();
  const mayDecide = deciders.includes(session.role);
  // the policy and the service points are the supervisor's to edit (warranty.settings.write); others never see the tab
  const mayEditSettings = session.role === 'supervisor';
  const requested = params.get('tab') as Tab | null;
  const tab: Tab = requested && tabs.includes(requested) && (requested !== 'decide' || mayDecide) && (requested !== 'settings' || mayEditSettings) ? requested : session.role === 'warehouse' ? 'rma' : 'devices';
  const q = params.get('q')?.trim() || null;
  const deviceId = Number(params.get('device')) || null;
  const sendBackId = Number(params.get('sb')) || null;
  const [registering, setRegistering] = useState(false);
  const [opening, setOpening] = useState(false);
  const [boardTick, setBoardTick] = useState(0);

  const device = useLoad((signal) => (deviceId ? get<DeviceDetail>(`/devices/${deviceId}`, undefined, signal) : Promise.resolve(null)), [deviceId]);
  const current = device.data && device.data.id === deviceId ? device.data : null;

  /** Changes some search params, keeping the others. */
  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next);
  };

  const facts = current ? (
    <DeviceFacts
      device={current}
      mayOpen={mayDecide}
      onDecide={mayDecide ? () => update({ tab: 'decide' }) : undefined}
      onOpenSendBack={() => setOpening(true)}
      onShowSendBack={(id) => update({ sb: String(id) })}
      onShowDevice={(id) => update({ device: String(id), q: null })}
      onChanged={() => device.reload()}
    />
  ) : null;
  const deviceState = (
    <>
      {device.error ? <Alert type="error" showIcon title={errorText(device.error, lang)} role="alert" style={{ marginBottom: 12 }} /> : null}
      {deviceId && !current && device.loading ? <Spin aria-label={m.loading} /> : null}
    </>
  );

  return (
    <div>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {m.title}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ maxWidth: 960 }}>
        {m.intro}
      </Typography.Paragraph>
      <Tabs
        activeKey={tab}
        onChange={(key) => update({ tab: key })}
        items={[
          {
            key: 'devices',
            label: m.tabDevices,
            children: (
              <div>
                {mayDecide ? (
                  <Space className="no-print" style={{ marginBottom: 12 }}>
                    <Button onClick={() => setRegistering(true)}>{m.registerTitle}</Button>
                  </Space>
                ) : null}
                <DeviceLookup q={q} onSearch={(text) => update({ q: text || null })} selectedId={deviceId} onSelect={(id) => update({ device: String(id) })} />
                {deviceState}
                {facts}
              </div>
            ),
          },
          ...(mayDecide
            ? [
                {
                  key: 'decide',
                  label: m.tabDecide,
                  children: (
                    <div>
                      {deviceState}
                      {current ? (
                        <DecideForm key={current.id} device={current} />
                      ) : (
                        <Alert
                          type="info"
                          showIcon
                          title={m.decideNeedsDevice}
                          action={
                            <Button size="small" onClick={() => update({ tab: 'devices' })}>
                              {m.tabDevices}
                            </Button>
                          }
                        />
                      )}
                    </div>
                  ),
                },
              ]
            : []),
          { key: 'rma', label: m.tabRma, children: <RmaBoard tick={boardTick} onOpen={(id) => update({ sb: String(id) })} /> },
          ...(mayEditSettings
            ? [
                {
                  key: 'settings',
                  label: settingsWords.tabLabel,
                  children: (
                    <Suspense fallback={<Spin aria-label={m.loading} />}>
                      <SettingsTab />
                    </Suspense>
                  ),
                },
              ]
            : []),
        ]}
      />
      {mayDecide ? (
        <RegisterDevice
          open={registering}
          onClose={() => setRegistering(false)}
          onCreated={(d) => {
            setRegistering(false);
            update({ tab: 'devices', q: d.deviceId, device: String(d.id) });
          }}
        />
      ) : null}
      {current && mayDecide ? (
        <OpenSendBack
          device={current}
          open={opening}
          onClose={() => setOpening(false)}
          onOpened={(id) => {
            setOpening(false);
            device.reload();
            setBoardTick((t) => t + 1);
            update({ sb: String(id) });
          }}
        />
      ) : null}
      <SendBackDrawer
        id={sendBackId}
        onClose={() => update({ sb: null })}
        onChanged={() => {
          setBoardTick((t) => t + 1);
          if (current) device.reload();
        }}
        onShowDevice={(id) => update({ sb: null, tab: 'devices', device: String(id) })}
      />
    </div>
  );
}
