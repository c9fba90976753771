/** antd in the chosen language, with the App wrapper that gives message/modal their context. */
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import type { ReactNode } from 'react';
import { useLang } from './i18n.tsx';

export function AntdProvider({ children }: { children: ReactNode }) {
  const { lang } = useLang();
  return (
    <ConfigProvider locale={lang === 'en' ? enUS : zhCN} theme={{ token: { colorPrimary: '#d4380d', borderRadius: 6 } }}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}
