/**
 * The warehouse's page: return arrivals by scanning the return tracking
 * number (S1.13 look 2) with the returns on their way, and the day's unshipped
 * batch to void (S1.1, S2.2) with its print view and downloads.
 */
import { Tabs, Typography } from 'antd';
import { Route, Routes, useSearchParams } from 'react-router';
import { useMessages } from '../../shared/i18n.tsx';
import { useSignedIn } from '../../shared/session.tsx';
import { ArrivalDesk } from './warehouse/ArrivalDesk.tsx';
import { BatchPanel } from './warehouse/BatchPanel.tsx';
import { BatchPrint } from './warehouse/BatchPrint.tsx';
import { warehouseMessages } from './warehouse/messages.ts';

type Tab = 'arrivals' | 'batch';

export default function Warehouse() {
  return (
    <Routes>
      <Route index element={<WarehouseHome />} />
      <Route path="batches/:id/print" element={<BatchPrint />} />
    </Routes>
  );
}

function WarehouseHome() {
  const m = useMessages(warehouseMessages);
  const [params, setParams] = useSearchParams();
  // S1.1: agents collect the day's unshipped refunds and send them to the warehouse; recording arrivals is the warehouse's
  const recordsArrivals = useSignedIn().role !== 'agent';
  const tab: Tab = params.get('tab') === 'batch' || !recordsArrivals ? 'batch' : 'arrivals';
  return (
    <>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {m.title}
      </Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === 'arrivals' ? {} : { tab: key })}
        destroyOnHidden
        items={[
          ...(recordsArrivals ? [{ key: 'arrivals', label: m.tabArrivals, children: <ArrivalDesk /> }] : []),
          { key: 'batch', label: m.tabBatch, children: <BatchPanel /> },
        ]}
      />
    </>
  );
}
