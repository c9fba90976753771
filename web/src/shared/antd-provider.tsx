/**
 * antd in the chosen language, with the App wrapper that gives message/modal their context.
 * Zero-runtime styles: antd's prebuilt CSS instead of styles computed in the browser at
 * every first render (that computing cost about half a second on the queue's first render).
 * A person who asked their system for less motion (prefers-reduced-motion) gets dialogs, drawers
 * and lists that appear at once, without antd's zoom and slide animations.
 */
import 'antd/dist/antd.css';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useSyncExternalStore, type ReactNode } from 'react';
import { useLang } from './i18n.tsx';

/** one query for the page's life: read at every render, listened to for a change of the setting */
let motionQuery: MediaQueryList | undefined;
const reducedMotionQuery = () => (motionQuery ??= window.matchMedia('(prefers-reduced-motion: reduce)'));
function onReducedMotionChange(notify: () => void): () => void {
  const query = reducedMotionQuery();
  query.addEventListener('change', notify);
  return () => query.removeEventListener('change', notify);
}
const reducedMotion = () => reducedMotionQuery().matches;

export function AntdProvider({ children }: { children: ReactNode }) {
  const { lang } = useLang();
  const lessMotion = useSyncExternalStore(onReducedMotionChange, reducedMotion, () => false);
  // the date pickers' month and weekday names follow the language
  dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
  return (
    // a two-character button reads 认领, not 认 领: no space put between Chinese characters;
    // the primary and focus colour is antd's blue: red is kept for errors and deadlines
    <ConfigProvider locale={lang === 'en' ? enUS : zhCN} button={{ autoInsertSpace: false }} theme={{ zeroRuntime: true, token: { colorPrimary: '#1677ff', borderRadius: 6, motion: !lessMotion } }}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}
