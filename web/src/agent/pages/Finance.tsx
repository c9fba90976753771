/**
 * Finance: lost-parcel claims (S1.7) with their paper form, the invoice book
 * (S1.8) and postage compensations to pay (S1.14). Each record shows the
 * actions the server opens to the caller; agents and supervisors open records
 * here too (finance acts on them but does not open them).
 */
import { Button, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { Route, Routes, useSearchParams } from 'react-router';
import { useMessages } from '../../shared/i18n.tsx';
import { useSignedIn } from '../../shared/session.tsx';
import { ClaimPrint } from './finance/ClaimPrint.tsx';
import { CreateClaim, CreateInvoice, CreatePostage } from './finance/CreateForms.tsx';
import { financeMessages } from './finance/messages.ts';
import { RecordTable } from './finance/RecordTable.tsx';
import { financeTodo, OPENERS, type Kind } from './finance/records.ts';

const tabs = ['claims', 'invoices', 'handover', 'postage'] as const;
type Tab = (typeof tabs)[number];
const kindOf: Record<Tab, Kind> = { claims: 'claim', invoices: 'invoice', handover: 'invoice', postage: 'postage' };

export default function Finance() {
  return (
    <Routes>
      <Route index element={<FinanceHome />} />
      <Route path="claims/:id/print" element={<ClaimPrint />} />
    </Routes>
  );
}

function FinanceHome() {
  const m = useMessages(financeMessages);
  const { role } = useSignedIn();
  const [params, setParams] = useSearchParams();
  const tab: Tab = (tabs as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'claims';
  const mayOpen = OPENERS.includes(role);
  // opened from a refund's next step (issue 15 §1): ?new=claim|invoice|postage&orderNo=… opens that form, filled in
  const asked = params.get('new');
  const [creating, setCreating] = useState<Kind | null>(mayOpen && (asked === 'claim' || asked === 'invoice' || asked === 'postage') ? asked : null);
  const prefillOrderNo = params.get('orderNo') ?? undefined;
  const [reloadKey, setReloadKey] = useState(0);
  /** finance opens each list on what it has to do; the others on everything */
  const defaultStatus = (kind: Kind) => (role === 'finance' ? financeTodo[kind] : undefined);

  const created = () => {
    setCreating(null);
    setReloadKey((k) => k + 1);
  };

  const table = (t: Tab, intro: string, createLabel: string) => (
    <RecordTable
      kind={kindOf[t]}
      intro={intro}
      // 待转交: invoices an agent registered and has not yet handed to finance, so finance sees them coming
      defaultStatus={t === 'handover' ? 'requested' : defaultStatus(kindOf[t])}
      reloadKey={reloadKey}
      toolbar={
        mayOpen ? (
          <Button type="primary" onClick={() => setCreating(kindOf[t])}>
            {createLabel}
          </Button>
        ) : null
      }
    />
  );

  return (
    <>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {m.title}
      </Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === 'claims' ? {} : { tab: key })}
        destroyOnHidden
        items={[
          { key: 'claims', label: m.tabClaims, children: table('claims', m.introClaims, m.newClaim) },
          { key: 'invoices', label: m.tabInvoices, children: table('invoices', m.introInvoices, m.newInvoice) },
          { key: 'handover', label: m.tabHandover, children: table('handover', m.introHandover, m.newInvoice) },
          { key: 'postage', label: m.tabPostage, children: table('postage', m.introPostage, m.newPostage) },
        ]}
      />
      {mayOpen && (
        <>
          <CreateClaim open={creating === 'claim'} onClose={() => setCreating(null)} onCreated={created} prefillOrderNo={prefillOrderNo} />
          <CreateInvoice open={creating === 'invoice'} onClose={() => setCreating(null)} onCreated={created} prefillOrderNo={prefillOrderNo} />
          <CreatePostage open={creating === 'postage'} onClose={() => setCreating(null)} onCreated={created} prefillOrderNo={prefillOrderNo} />
        </>
      )}
    </>
  );
}
