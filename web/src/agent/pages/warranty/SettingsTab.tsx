/**
 * 三包设置 (the supervisor's tab of the warranty page, S4.1–S4.5): the shop's
 * policy and its service points with the card's return contact, each saved
 * as a new version. ?section=policy|points keeps the part shown.
 * Loaded lazily: only a supervisor opens it.
 */
import { Tabs, Typography } from 'antd';
import { useSearchParams } from 'react-router';
import { useMessages } from '../../../shared/i18n.tsx';
import { PolicyEditor } from './PolicyEditor.tsx';
import { ServicePointsEditor } from './ServicePointsEditor.tsx';
import { settingsMessages } from './settings-messages.ts';

type Section = 'policy' | 'points';

export default function SettingsTab() {
  const m = useMessages(settingsMessages);
  const [params, setParams] = useSearchParams();
  const section: Section = params.get('section') === 'points' ? 'points' : 'policy';
  return (
    <div data-testid="warranty-settings">
      <Typography.Paragraph type="secondary" style={{ maxWidth: 960 }}>
        {m.intro}
      </Typography.Paragraph>
      <Tabs
        type="card"
        size="small"
        activeKey={section}
        onChange={(key) => {
          const next = new URLSearchParams(params);
          next.set('section', key);
          setParams(next);
        }}
        items={[
          { key: 'policy', label: m.sectionPolicy, children: <PolicyEditor /> },
          { key: 'points', label: m.sectionPoints, children: <ServicePointsEditor /> },
        ]}
      />
    </div>
  );
}
