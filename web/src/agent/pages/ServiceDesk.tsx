/**
 * The equipment service desk (S5, 第五篇 售后流程): the hotline and its
 * repair records (S5.3–S5.5, S5.8), the service archives (S5.1, S5.2), the
 * dispatch register (S5.6, S5.8), the clerk's periodic review (S5.6) and the
 * follow-up calls (S5.7). Each role opens on what it has to do first: the
 * clerk on the hotline, a lead on his own records and dispatches, leadership
 * on the decisions waiting for it.
 */
import { Tabs, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { useMessages } from '../../shared/i18n.tsx';
import { useSignedIn } from '../../shared/session.tsx';
import { ArchivesTab } from './service/ArchivesTab.tsx';
import { CallForm } from './service/CallForm.tsx';
import { DispatchesTab } from './service/DispatchesTab.tsx';
import { FollowUpsTab } from './service/FollowUpsTab.tsx';
import { useDeskLinks } from './service/links.tsx';
import { serviceMessages } from './service/messages.ts';
import { REVIEWERS } from './service/model.ts';
import { RecordDrawer } from './service/RecordDrawer.tsx';
import { RecordList } from './service/RecordList.tsx';
import { Reminders } from './service/Reminders.tsx';
import { ReviewTab } from './service/ReviewTab.tsx';

type TabKey = 'mine' | 'decisions' | 'hotline' | 'records' | 'archives' | 'dispatches' | 'review' | 'followUps';

/** The tabs of each role, in its order: what it does first comes first. */
function tabsFor(role: string): TabKey[] {
  switch (role) {
    case 'field_lead':
      return ['mine', 'archives', 'dispatches', 'hotline'];
    case 'leadership':
      return ['decisions', 'records', 'archives', 'dispatches', 'review'];
    case 'clerk':
    case 'supervisor':
      return ['hotline', 'records', 'archives', 'dispatches', 'review', 'followUps'];
    default:
      return ['records', 'archives', 'dispatches', ...(REVIEWERS.includes(role) ? (['review'] as const) : [])];
  }
}

export default function ServiceDesk() {
  const m = useMessages(serviceMessages);
  const { role } = useSignedIn();
  const links = useDeskLinks();
  const [reloadKey, setReloadKey] = useState(0);
  const mine = tabsFor(role);
  const tab: TabKey = mine.includes(links.tab as TabKey) ? (links.tab as TabKey) : mine[0]!;
  const changed = () => setReloadKey((k) => k + 1);

  const content: Record<TabKey, { label: string; children: ReactNode }> = {
    mine: {
      label: m.tabMine,
      children: (
        <>
          <Typography.Title level={5}>{m.myRecords}</Typography.Title>
          <RecordList fixedOwner="me" defaultStatus="open" reloadKey={reloadKey} testId="my-records" />
          <Typography.Title level={5}>{m.myDispatches}</Typography.Title>
          <DispatchesTab onlyMine reloadKey={reloadKey} />
        </>
      ),
    },
    decisions: {
      label: m.tabDecisions,
      children: (
        <>
          <Typography.Paragraph type="secondary">{m.decisionsIntro}</Typography.Paragraph>
          <RecordList fixedStatus="awaiting_decision" showFilters={false} reloadKey={reloadKey} testId="decisions" />
        </>
      ),
    },
    hotline: { label: m.tabHotline, children: <CallForm key={links.callFor ?? 'new'} /> },
    records: { label: m.tabRecords, children: <RecordList defaultStatus="open" reloadKey={reloadKey} testId="records" /> },
    archives: { label: m.tabArchives, children: <ArchivesTab /> },
    dispatches: { label: m.tabDispatches, children: <DispatchesTab reloadKey={reloadKey} /> },
    review: { label: m.tabReview, children: <ReviewTab key={reloadKey} /> },
    followUps: { label: m.tabFollowUps, children: <FollowUpsTab key={reloadKey} /> },
  };

  return (
    <div>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {m.title}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{m.intro}</Typography.Paragraph>
      <Reminders reloadKey={reloadKey} />
      <Tabs
        activeKey={tab}
        onChange={(key) => links.setTab(key)}
        destroyOnHidden
        items={mine.map((k) => ({ key: k, label: content[k].label, children: content[k].children }))}
      />
      <RecordDrawer id={links.recordId} onClose={links.closeRecord} onChanged={changed} />
    </div>
  );
}
