/**
 * S5.3: finds the caller's product by customer, serial number or site while
 * the clerk types (debounced; GET /service/archives?q=), shows each hit with
 * its warranty, and gives back the chosen archive.
 */
import { Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { get } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { useLang, useMessages } from '../../../shared/i18n.tsx';
import { serviceMessages } from './messages.ts';
import type { ArchivePage, ArchiveView } from './model.ts';
import { WarrantyTag } from './parts.tsx';

/** The value after the user stopped typing for `ms`. */
export function useDebounced<T>(value: T, ms = 300): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

export function ArchiveLine({ a }: { a: ArchiveView }) {
  return (
    <Space size={6} wrap>
      <Typography.Text strong>{a.customer.organisation}</Typography.Text>
      <span>{a.product}</span>
      <Typography.Text code>{a.serialNo}</Typography.Text>
      <Typography.Text type="secondary">{a.customer.siteAddress}</Typography.Text>
      <WarrantyTag warranty={a.warranty} />
    </Space>
  );
}

export function ArchivePicker({
  id,
  value,
  onChange,
  initial,
}: {
  id?: string;
  value?: number | null;
  onChange?: (id: number | null, archive: ArchiveView | null) => void;
  /** an archive already chosen elsewhere (opened from the archive's page) */
  initial?: ArchiveView | null;
}) {
  const m = useMessages(serviceMessages);
  const { lang } = useLang();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 300);
  const [hits, setHits] = useState<ArchiveView[]>(initial ? [initial] : []);
  const [chosen, setChosen] = useState<ArchiveView | null>(initial ?? null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // an archive chosen elsewhere arrives after the first render (the hotline opened from an archive)
  useEffect(() => {
    if (initial) setChosen(initial);
  }, [initial]);

  useEffect(() => {
    if ([...q].length < 2) return;
    const controller = new AbortController();
    setLoading(true);
    get<ArchivePage>('/service/archives', { q, limit: 20 }, controller.signal)
      .then((page) => {
        setHits(page.items);
        setError(null);
      })
      .catch((err: unknown) => {
        if ((err as Error).name !== 'AbortError') setError(errorText(err, lang));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [q, lang]);

  const options = [...(chosen && !hits.some((h) => h.id === chosen.id) ? [chosen] : []), ...hits].map((a) => ({
    value: a.id,
    label: `${a.customer.organisation} · ${a.product} · ${a.serialNo}`,
    archive: a,
  }));

  return (
    <>
      <Select<number>
        id={id}
        showSearch={{ filterOption: false, onSearch: setText }}
        allowClear
        value={value ?? undefined}
        placeholder={m.findProductPlaceholder}
        loading={loading}
        notFoundContent={[...q].length < 2 ? m.typeToSearch : loading ? m.loading : m.noArchives}
        options={options}
        optionRender={(o) => <ArchiveLine a={(o.data as { archive: ArchiveView }).archive} />}
        onChange={(v) => {
          const a = options.find((o) => o.value === v)?.archive ?? null;
          setChosen(a);
          onChange?.(v ?? null, a);
        }}
        style={{ width: '100%' }}
        data-testid="archive-picker"
      />
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
    </>
  );
}
