/** The admin's page: the shop's users and their roles, the API tokens (user.manage, token.manage), and a new shop (shop.create). */
import { Space, Tabs, Typography } from 'antd';
import { useSearchParams } from 'react-router';
import { useMessages } from '../../shared/i18n.tsx';
import { NewShopButton } from './platform/NewShop.tsx';
import { TokensTab } from './supervisor/TokensTab.tsx';
import { usersMessages } from './supervisor/users-messages.ts';
import { UsersTab } from './supervisor/UsersTab.tsx';

export default function Users() {
  const m = useMessages(usersMessages);
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'tokens' ? 'tokens' : 'users';
  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between', alignItems: 'baseline' }} wrap>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {m.title}
        </Typography.Title>
        <NewShopButton />
      </Space>
      <Typography.Paragraph type="secondary">{m.intro}</Typography.Paragraph>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === 'tokens' ? { tab: 'tokens' } : {}, { replace: true })}
        items={[
          { key: 'users', label: m.usersTab, children: <UsersTab /> },
          { key: 'tokens', label: m.tokensTab, children: <TokensTab /> },
        ]}
      />
    </div>
  );
}
