/**
 * Issue 15 §8: one shape for a record's drawer, shared by finance's records,
 * complaints, 三包 send-backs and the service desk's records and archives:
 * never wider than the screen (a phone gets the whole width), the error in
 * words at the top, a spinner until the record arrives and while it reloads,
 * a close button with a name.
 */
import { Alert, Drawer, Spin } from 'antd';
import type { ReactNode } from 'react';
import { errorText } from './errors.ts';
import { defineMessages, useLang, useMessages } from './i18n.tsx';

const frameMessages = defineMessages({
  'zh-CN': { close: '关闭', loading: '正在加载' },
  en: { close: 'Close', loading: 'Loading' },
});

export function RecordDrawerFrame({
  open,
  onClose,
  title,
  extra,
  width = 760,
  loading = false,
  error,
  ready,
  children,
}: {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  /** the drawer's header buttons (print, edit …) */
  extra?: ReactNode;
  /** the widest it gets, in pixels; never wider than the screen */
  width?: number;
  loading?: boolean;
  /** the last load's failure, shown in words */
  error?: unknown;
  /** the record is here: the body is shown (a reload keeps it, dimmed) */
  ready: boolean;
  children?: ReactNode;
}) {
  const m = useMessages(frameMessages);
  const { lang } = useLang();
  return (
    <Drawer open={open} onClose={onClose} size={`min(${width}px, 100vw)`} title={title} extra={extra} destroyOnHidden closable={{ 'aria-label': m.close }}>
      {error != null ? <Alert type="error" showIcon title={errorText(error, lang)} role="alert" style={{ marginBottom: 12 }} /> : null}
      {loading && !ready ? <Spin aria-label={m.loading} /> : null}
      {ready ? <Spin spinning={loading}>{children}</Spin> : null}
    </Drawer>
  );
}
