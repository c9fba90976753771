/**
 * The buyer portal at /buyer (S3), mobile-first: find the order, apply for a
 * refund, follow it, return the goods. Plain React and CSS (no antd, no
 * router: the URL hash names the page) so that it loads fast on a phone.
 *   #/                 the order and its refunds
 *   #/apply            the application form
 *   #/refund/<id>      one refund: status, time left, actions
 *   #/refund/<id>/modify  change it after a refusal
 *   #/warranty/<device id>  a phone's after-sales under 三包 (S4.6; loaded only when opened)
 */
import './buyer.css';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { ApiError, get, onUnauthenticated, post, setCsrfToken } from '../shared/api.ts';
import { errorText } from '../shared/errors.ts';
import { LangProvider, useLang, useMessages } from '../shared/i18n.tsx';
import type { Session } from '../shared/session.tsx';
import type { OrderDetail, RefundDetail } from '../shared/types.ts';
import { useLoad } from '../shared/use-api.ts';
import { FindOrder } from './FindOrder.tsx';
import { applyBlocker } from './guidance.ts';
import { buyerMessages } from './messages.ts';
import { OrderView } from './OrderView.tsx';
import { RefundForm } from './RefundForm.tsx';
import { RefundView, type Done } from './RefundView.tsx';
import { Button, LangToggle, Notice } from './ui.tsx';

type Route = { page: 'order' } | { page: 'apply' } | { page: 'refund'; id: number } | { page: 'modify'; id: number } | { page: 'warranty'; id: number };

/** The warranty request: its own chunk, so the order page's first load stays small. */
const WarrantyRequest = lazy(() => import('./Warranty.tsx'));

function parseHash(hash: string): Route {
  const m = /^#\/refund\/(\d{1,10})(\/modify)?$/.exec(hash);
  if (m) return { page: m[2] ? 'modify' : 'refund', id: Number(m[1]) };
  const w = /^#\/warranty\/(\d{1,10})$/.exec(hash);
  if (w) return { page: 'warranty', id: Number(w[1]) };
  if (hash === '#/apply') return { page: 'apply' };
  return { page: 'order' };
}

function useHashRoute(): [Route, (hash: string) => void] {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  const go = useCallback((hash: string) => {
    if (location.hash === hash) setRoute(parseHash(hash));
    else location.hash = hash;
  }, []);
  return [route, go];
}

/** The answer and when it came: countdowns count from then. */
interface Stamped<T> {
  value: T;
  at: number;
}

/** Refreshing an open page: never faster than 15 s (the brief); a refund's status changes on the scale of hours. */
const REFRESH_MS = 60_000;

function useRefreshEvery(reload: () => void, ms: number, enabled = true) {
  useEffect(() => {
    if (!enabled) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, ms);
    return () => clearInterval(timer);
  }, [reload, ms, enabled]);
}

function Loading() {
  const t = useMessages(buyerMessages);
  return (
    <p className="b-loading" role="status">
      <span className="b-spinner" aria-hidden="true" /> {t.loading}
    </p>
  );
}

function LoadError({ error, retry }: { error: unknown; retry: () => void }) {
  const t = useMessages(buyerMessages);
  const { lang } = useLang();
  return (
    <div className="b-page">
      <Notice level="error">{errorText(error, lang)}</Notice>
      <Button onClick={retry}>{t.retry}</Button>
    </div>
  );
}

function RefundPage({ id, go, reloadOrder, flash }: { id: number; go: (hash: string) => void; reloadOrder: () => void; flash: Done | null }) {
  const loaded = useLoad((signal) => get<RefundDetail>(`/refunds/${id}`, undefined, signal).then((value) => ({ value, at: Date.now() })), [id]);
  const { reload } = loaded;
  useRefreshEvery(reload, REFRESH_MS);
  const reloadBoth = useCallback(() => {
    reload();
    reloadOrder();
  }, [reload, reloadOrder]);
  if (loaded.error && !loaded.data) return <LoadError error={loaded.error} retry={reload} />;
  if (!loaded.data) return <Loading />;
  return <RefundView detail={loaded.data.value} fetchedAt={loaded.data.at} reload={reloadBoth} onModify={() => go(`#/refund/${id}/modify`)} flash={flash} />;
}

function ModifyPage({ id, order, go, reloadOrder, onSent }: { id: number; order: Stamped<OrderDetail>; go: (hash: string) => void; reloadOrder: () => void; onSent: () => void }) {
  const t = useMessages(buyerMessages);
  const loaded = useLoad((signal) => get<RefundDetail>(`/refunds/${id}`, undefined, signal), [id]);
  if (loaded.error && !loaded.data) return <LoadError error={loaded.error} retry={loaded.reload} />;
  if (!loaded.data) return <Loading />;
  if (!loaded.data.allowedActions.includes('modify'))
    return (
      <div className="b-page">
        <Notice level="info">{t.cannotModify}</Notice>
        <a className="b-btn b-btn-default b-wide" href={`#/refund/${id}`}>
          {t.back}
        </a>
      </div>
    );
  return (
    <RefundForm
      order={order.value}
      refund={loaded.data}
      onCancel={() => go(`#/refund/${id}`)}
      onDone={() => {
        reloadOrder();
        onSent();
        go(`#/refund/${id}`);
      }}
    />
  );
}

function SignedIn({ session, onLeave }: { session: Session & { orderNo: string }; onLeave: () => void }) {
  const t = useMessages(buyerMessages);
  const [route, go] = useHashRoute();
  // the success note of the form just sent, shown once on the refund's page
  const [flash, setFlash] = useState<{ id: number; done: Done } | null>(null);
  const orderNo = session.orderNo;
  const order = useLoad((signal) => get<OrderDetail>(`/orders/${encodeURIComponent(orderNo)}`, undefined, signal).then((value) => ({ value, at: Date.now() })), [orderNo]);
  const reloadOrder = order.reload;
  // back on the order page: its refunds as they are now
  const onOrderPage = route.page === 'order';
  useRefreshEvery(reloadOrder, REFRESH_MS, onOrderPage);
  useEffect(() => {
    if (!onOrderPage) return;
    reloadOrder();
    setFlash(null);
  }, [onOrderPage, reloadOrder]);

  let body;
  if (order.error && !order.data) body = <LoadError error={order.error} retry={reloadOrder} />;
  else if (!order.data) body = <Loading />;
  else if (route.page === 'apply' && applyBlocker(order.data.value))
    body = (
      <div className="b-page">
        <Notice level="info">{t[applyBlocker(order.data.value)!]}</Notice>
        <a className="b-btn b-btn-default b-wide" href="#/">
          {t.backToOrder}
        </a>
      </div>
    );
  else if (route.page === 'apply')
    body = (
      <RefundForm
        order={order.data.value}
        onCancel={() => go('#/')}
        onDone={(refund) => {
          reloadOrder();
          setFlash({ id: refund.id, done: 'applied' });
          go(`#/refund/${refund.id}`);
        }}
      />
    );
  else if (route.page === 'refund') body = <RefundPage key={route.id} id={route.id} go={go} reloadOrder={reloadOrder} flash={flash?.id === route.id ? flash.done : null} />;
  else if (route.page === 'warranty')
    body = (
      <Suspense fallback={<Loading />}>
        <WarrantyRequest key={route.id} deviceId={route.id} />
      </Suspense>
    );
  else if (route.page === 'modify') body = <ModifyPage key={route.id} id={route.id} order={order.data} go={go} reloadOrder={reloadOrder} onSent={() => setFlash({ id: route.id, done: 'modified' })} />;
  else body = <OrderView order={order.data.value} fetchedAt={order.data.at} onApply={() => go('#/apply')} />;

  return (
    <>
      <nav className="b-nav" aria-label={t.order}>
        {route.page !== 'order' ? (
          <a className="b-link b-back" href="#/">
            ‹ {t.backToOrder}
          </a>
        ) : (
          <span />
        )}
        <Button kind="link" onClick={onLeave}>
          {t.otherOrder}
        </Button>
      </nav>
      <main id="main" tabIndex={-1}>
        {body}
      </main>
    </>
  );
}

type Phase = { kind: 'loading' } | { kind: 'out'; note?: string } | { kind: 'in'; session: Session & { orderNo: string } };

function Portal() {
  const t = useMessages(buyerMessages);
  const { lang } = useLang();
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });

  const enter = useCallback((session: Session) => {
    setCsrfToken(session.csrfToken);
    if (session.kind === 'buyer' && session.orderNo) setPhase({ kind: 'in', session: { ...session, orderNo: session.orderNo } });
    else setPhase({ kind: 'out' });
  }, []);

  useEffect(() => {
    get<Session>('/session')
      .then(enter)
      .catch((err: unknown) => {
        if (!(err instanceof ApiError && (err.status === 401 || err.status === 403))) console.warn(err);
        setPhase({ kind: 'out' });
      });
    return onUnauthenticated(() => {
      setCsrfToken(null);
      setPhase({ kind: 'out', note: 'ended' });
    });
  }, [enter]);

  useEffect(() => {
    document.title = `${t.appTitle} · ${t.appSubtitle}`;
    document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
  }, [t, lang]);

  const leave = async () => {
    try {
      await post('/session/sign-out');
    } catch {
      // ended already: fine
    }
    setCsrfToken(null);
    history.replaceState(null, '', location.pathname);
    setPhase({ kind: 'out' });
  };

  return (
    <div className="b-app">
      <a className="skip-link" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        {lang === 'en' ? 'Skip to content' : '跳到正文'}
      </a>
      <header className="b-header">
        <div>
          <div className="b-brand">{t.appTitle}</div>
          <div className="b-shop">{phase.kind === 'in' && phase.session.shop ? phase.session.shop.name : t.appSubtitle}</div>
        </div>
        <LangToggle />
      </header>
      {phase.kind === 'loading' && <Loading />}
      {phase.kind === 'out' && (
        <main id="main" tabIndex={-1}>
          <FindOrder
            note={phase.note ? t.sessionEnded : undefined}
            onFound={(session) => {
              history.replaceState(null, '', `${location.pathname}#/`);
              enter(session);
            }}
          />
        </main>
      )}
      {phase.kind === 'in' && <SignedIn key={phase.session.orderNo} session={phase.session} onLeave={() => void leave()} />}
    </div>
  );
}

export function BuyerApp() {
  return (
    <LangProvider>
      <Portal />
    </LangProvider>
  );
}
