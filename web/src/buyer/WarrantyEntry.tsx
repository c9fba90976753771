/**
 * The way into a phone's after-sales (三包, S4.6) from the buyer's order: one
 * button per phone the order sold (GET /devices?q=<order no>; a buyer sees
 * only their own order's). Small on purpose: the request itself
 * (Warranty.tsx) is loaded only when opened.
 */
import { get } from '../shared/api.ts';
import { defineMessages, useMessages } from '../shared/i18n.tsx';
import { useLoad } from '../shared/use-api.ts';

const entryMessages = defineMessages({
  'zh-CN': { title: '手机售后 / 三包', hint: '手机有故障？先按步骤自查，再找当地售后网点或寄回检测。', open: '手机售后 / 三包' },
  en: { title: 'Phone after-sales (三包)', hint: 'Is the phone faulty? Try the simple fixes, then a local service centre, or send it to us for testing.', open: 'Phone after-sales (三包)' },
});

interface DeviceRow {
  id: number;
  brand: string;
  model: string;
  deviceId: string;
}

export function WarrantyEntry({ orderNo }: { orderNo: string }) {
  const t = useMessages(entryMessages);
  // no devices, or the call fails: the order page shows nothing extra
  const { data } = useLoad((signal) => get<{ items: DeviceRow[] }>('/devices', { q: orderNo }, signal).catch(() => ({ items: [] })), [orderNo]);
  const devices = data?.items ?? [];
  if (devices.length === 0) return null;
  return (
    <section className="b-card" aria-labelledby="warranty-entry-title" data-testid="warranty-entry">
      <h2 id="warranty-entry-title">{t.title}</h2>
      <p className="b-hint">{t.hint}</p>
      {devices.map((d) => (
        <a key={d.id} className="b-btn b-btn-default b-wide" style={{ marginTop: 8 }} href={`#/warranty/${d.id}`} data-testid="warranty-open">
          {devices.length > 1 ? `${t.open} · ${d.brand} ${d.model}` : t.open}
        </a>
      ))}
    </section>
  );
}
