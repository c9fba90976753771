/** The staff app's shell: sign-in, the menu of the role's pages, shop switcher, language switch. */
import { Alert, App as AntApp, Button, Drawer, Grid, Layout, Menu, Result, Select, Space, Spin, Typography } from 'antd';
import { Component, Suspense, useState, type ErrorInfo, type ReactNode } from 'react';
import { Link, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { post } from '../shared/api.ts';
import { errorText } from '../shared/errors.ts';
import { fmt, useLang, useMessages } from '../shared/i18n.tsx';
import { LanguageSwitch } from '../shared/LanguageSwitch.tsx';
import { useSession, type Session } from '../shared/session.tsx';
import { shellMessages, roleNames } from './messages.ts';
import { homeFor, pagesFor, refundDetailRoles, RefundDetailPage } from './nav.tsx';
import { SignIn } from './SignIn.tsx';

const { Header, Sider, Content } = Layout;

export function App() {
  const { session } = useSession();
  const m = useMessages(shellMessages);
  if (session === undefined) {
    return (
      <div style={{ display: 'grid', placeItems: 'center', height: '100vh' }}>
        <Spin aria-label={m.loading} />
      </div>
    );
  }
  if (session === null || session.kind === 'buyer') return <SignIn />;
  return <Shell session={session} />;
}

function Shell({ session }: { session: Session }) {
  const m = useMessages(shellMessages);
  const roles = useMessages(roleNames);
  const { lang } = useLang();
  const { setSession, signOut } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const [switchError, setSwitchError] = useState<string | null>(null);
  const { message } = AntApp.useApp();
  // issue 15 §7: below 992 px the menu is a drawer opened from the header, so nothing sits over the page's title
  const screens = Grid.useBreakpoint();
  const narrow = screens.lg === false;
  const [menuOpen, setMenuOpen] = useState(false);
  const mine = pagesFor(session.role);
  const selected = mine.find((p) => location.pathname === p.path || location.pathname.startsWith(`${p.path}/`))?.key ?? (location.pathname.startsWith('/refunds/') ? 'queue' : '');
  const roleName = (roles as Record<string, string>)[session.role] ?? session.role;

  const switchShop = async (shopCode: string) => {
    setSwitchError(null);
    try {
      const next = await post<Session>('/session/shop', { shopCode });
      setSession(next);
      navigate(homeFor(next.role));
    } catch (err) {
      setSwitchError(errorText(err, lang));
    }
  };

  const answerInvitation = async (inv: Session['invitations'][number], answer: 'accept' | 'decline') => {
    setSwitchError(null);
    try {
      setSession(await post<Session>(`/session/invitations/${inv.id}/${answer}`));
      void message.success(fmt(answer === 'accept' ? m.invitationAccepted : m.invitationDeclined, { shop: inv.shopName }));
    } catch (err) {
      setSwitchError(errorText(err, lang));
    }
  };

  const menu = (
    <Menu
      mode="inline"
      selectedKeys={[selected]}
      onClick={() => setMenuOpen(false)}
      items={mine.map((p) => ({ key: p.key, label: <Link to={p.path}>{m[p.key]}</Link> }))}
    />
  );
  const shopPicker =
    session.shops.length > 1 ? (
      <Select aria-label={m.shop} value={session.shop?.code} onChange={switchShop} style={{ minWidth: 160 }} options={session.shops.map((s) => ({ value: s.code, label: s.name }))} />
    ) : (
      <Typography.Text>{session.shop?.name}</Typography.Text>
    );
  const whoami = (
    <Typography.Text type="secondary" data-testid="whoami">
      {session.user?.displayName} · {roleName}
    </Typography.Text>
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <a className="skip-link" href="#main">
        {m.skipToContent}
      </a>
      {!narrow && (
        <Sider theme="light" width={190}>
          <div style={{ padding: '16px 16px 8px', fontWeight: 600, fontSize: 16 }}>{m.appName}</div>
          <nav aria-label={m.mainNav}>{menu}</nav>
        </Sider>
      )}
      <Layout>
        {narrow ? (
          <Header
            style={{ background: '#fff', padding: '8px 12px', height: 'auto', minHeight: 56, lineHeight: 'normal', display: 'flex', alignItems: 'center', gap: 8, position: 'sticky', top: 0, zIndex: 10 }}
          >
            <Button onClick={() => setMenuOpen(true)} aria-label={m.mainNav} aria-expanded={menuOpen} data-testid="menu-button">
              ☰
            </Button>
            <Typography.Text strong ellipsis style={{ flex: 1, minWidth: 0 }}>
              {session.shop?.name}
            </Typography.Text>
            <LanguageSwitch />
            <Button size="small" type="text" onClick={() => void signOut()}>
              {m.signOut}
            </Button>
          </Header>
        ) : (
          <Header
            style={{ background: '#fff', padding: '8px 16px', height: 'auto', minHeight: 64, lineHeight: 'normal', display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'flex-end', gap: 12 }}
          >
            <Space wrap>
              {shopPicker}
              {whoami}
              <LanguageSwitch />
              <Button onClick={() => void signOut()}>{m.signOut}</Button>
            </Space>
          </Header>
        )}
        {narrow && (
          <Drawer placement="left" open={menuOpen} onClose={() => setMenuOpen(false)} size={260} title={m.appName} styles={{ body: { padding: 0 } }}>
            <div style={{ padding: '12px 16px', display: 'grid', gap: 8 }}>
              {shopPicker}
              {whoami}
            </div>
            <nav aria-label={m.mainNav}>{menu}</nav>
          </Drawer>
        )}
        <Content id="main" tabIndex={-1} style={{ padding: 16, outline: 'none' }}>
          {switchError && <Alert type="error" showIcon message={switchError} style={{ marginBottom: 12 }} closable />}
          {session.invitations.map((inv) => (
            <Alert
              key={inv.id}
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              data-testid="invitation"
              message={fmt(m.invitation, { shop: inv.shopName, by: inv.invitedBy, role: (roles as Record<string, string>)[inv.role] ?? inv.role })}
              description={m.invitationHelp}
              action={
                <Space>
                  <Button size="small" type="primary" onClick={() => void answerInvitation(inv, 'accept')}>
                    {m.accept}
                  </Button>
                  <Button size="small" onClick={() => void answerInvitation(inv, 'decline')}>
                    {m.decline}
                  </Button>
                </Space>
              }
            />
          ))}
          <PageBoundary key={location.pathname} title={m.pageError} retry={m.reload}>
            <Suspense fallback={<Spin style={{ margin: 48 }} aria-label={m.loading} />}>
              <Routes>
                {mine.map((p) => (
                  <Route key={p.key} path={`${p.path}/*`} element={<p.component />} />
                ))}
                {refundDetailRoles.includes(session.role) && <Route path="/refunds/:id" element={<RefundDetailPage />} />}
                <Route
                  path="/home"
                  element={<Result status="info" title={m.noPagesTitle} subTitle={fmt(m.noPagesText, { role: roleName })} />}
                />
                <Route path="/" element={<Navigate to={homeFor(session.role)} replace />} />
                <Route
                  path="*"
                  element={<Result status="404" title={m.notFound} extra={<Link to={homeFor(session.role)}>{m.back}</Link>} />}
                />
              </Routes>
            </Suspense>
          </PageBoundary>
        </Content>
      </Layout>
    </Layout>
  );
}

/** A page that throws shows a message with a reload button, not a white screen. */
class PageBoundary extends Component<{ children: ReactNode; title: string; retry: string }, { error: Error | null }> {
  override state = { error: null as Error | null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(error, info.componentStack);
  }
  override render() {
    if (this.state.error) {
      return (
        <Result
          status="error"
          title={this.props.title}
          subTitle={this.state.error.message}
          extra={<Button onClick={() => location.reload()}>{this.props.retry}</Button>}
        />
      );
    }
    return this.props.children;
  }
}
