import '../shared/base.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { LangProvider } from '../shared/i18n.tsx';
import { SessionProvider } from '../shared/session.tsx';
import { AntdProvider } from '../shared/antd-provider.tsx';
import { App } from './App.tsx';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <LangProvider>
      <AntdProvider>
        <SessionProvider>
          <BrowserRouter>
            <App />
          </BrowserRouter>
        </SessionProvider>
      </AntdProvider>
    </LangProvider>
  </StrictMode>,
);
