/**
 * S1.1 the day's unshipped batch: the agents collect and send it before the
 * cut-off (or it freezes at the cut-off); the warehouse marks each order
 * voided, or already shipped with its tracking number (S2.2: the order is
 * marked shipped). Print view and CSV/Excel downloads for the warehouse.
 */
import { Alert, App as AntApp, Button, Card, Descriptions, Empty, Form, Input, Modal, Popconfirm, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError, get, newIdempotencyKey, post } from '../../../shared/api.ts';
import { Countdown } from '../../../shared/Countdown.tsx';
import { errorText } from '../../../shared/errors.ts';
import { dateTime, yuan } from '../../../shared/format.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import { useSignedIn } from '../../../shared/session.tsx';
import { batchCounts, batchFileUrl, batchStateColour, batchStateText, lineStatusColour, lineStatusText, normalizeTrackingNo, TRACKING_NO, type Batch, type BatchLine } from './batch.ts';
import { warehouseMessages } from './messages.ts';

/** The roles that collect and send the batch (workbench.refund.work) and those that mark its lines (workbench.warehouse), as src/app/access.ts has them. */
const COLLECTORS = ['agent', 'supervisor'];
const MARKERS = ['warehouse', 'supervisor'];
/** the cut-off freezes the batch on the server: look again now and then while it is open */
const REFRESH_MS = 60_000;

export function BatchPanel() {
  const m = useMessages(warehouseMessages);
  const { lang } = useLang();
  const { role } = useSignedIn();
  const { message, modal } = AntApp.useApp();
  const navigate = useNavigate();
  const mayCollect = COLLECTORS.includes(role);
  const mayMark = MARKERS.includes(role);

  const [batches, setBatches] = useState<Batch[] | null>(null);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [batch, setBatch] = useState<Batch | null>(null);
  const [fetchedAt, setFetchedAt] = useState(Date.now());
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [shipLine, setShipLine] = useState<BatchLine | null>(null);
  /** issue 15 §2: the pending lines ticked for one "void the selected" */
  const [selectedIds, setSelectedIds] = useState<number[]>([]);
  const [voidSummary, setVoidSummary] = useState<VoidSummary | null>(null);

  const loadList = useCallback(
    async (signal?: AbortSignal) => {
      const list = await get<Batch[]>('/unshipped-batches', undefined, signal);
      setBatches(list);
      return list;
    },
    [],
  );

  const loadBatch = useCallback(async (id: number, signal?: AbortSignal) => {
    const one = await get<Batch>(`/unshipped-batches/${id}`, undefined, signal);
    setBatch(one);
    setFetchedAt(Date.now());
    setBatches((old) => old?.map((b) => (b.id === one.id ? one : b)) ?? old);
    return one;
  }, []);

  /** the list, then the chosen batch (the latest unless one was picked) */
  const reload = useCallback(
    async (signal?: AbortSignal, pick?: number) => {
      setLoading(true);
      try {
        const list = await loadList(signal);
        const id = pick ?? selectedId ?? list[0]?.id ?? null;
        setSelectedId(id);
        if (id !== null) await loadBatch(id, signal);
        else setBatch(null);
        setError(null);
      } catch (err) {
        if ((err as Error).name !== 'AbortError') setError(errorText(err, lang));
      } finally {
        if (!signal?.aborted) setLoading(false);
      }
    },
    [lang, loadBatch, loadList, selectedId],
  );

  useEffect(() => {
    const controller = new AbortController();
    void reload(controller.signal);
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- load once; later loads are explicit
  }, []);

  // the batch freezes at the cut-off on the server: an open batch is looked at again every minute
  useEffect(() => {
    if (batch?.status !== 'open') return;
    const timer = setInterval(() => void reload(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [batch?.status, reload]);

  /** a 409 means the batch moved on: show why and load it again */
  const failed = async (err: unknown) => {
    message.error(errorText(err, lang));
    if (err instanceof ApiError && err.status === 409) await reload();
  };

  const collect = async () => {
    setBusy('collect');
    try {
      const answer = await post<Batch>('/unshipped-batches/collect', {}, newIdempotencyKey());
      message.success(fmt(m.collected, { count: answer.lines.length }));
      await reload(undefined, answer.id);
    } catch (err) {
      await failed(err);
    } finally {
      setBusy(null);
    }
  };

  const send = async () => {
    if (!batch) return;
    setBusy('send');
    try {
      const answer = await post<Batch>(`/unshipped-batches/${batch.id}/send`, { version: batch.version }, newIdempotencyKey());
      setBatch(answer);
      setFetchedAt(Date.now());
      message.success(fmt(m.sent, { count: answer.lines.length }));
      await loadList();
    } catch (err) {
      await failed(err);
    } finally {
      setBusy(null);
    }
  };

  const markVoided = async (line: BatchLine) => {
    if (!batch) return;
    setBusy(`line-${line.refundId}`);
    try {
      const answer = await post<Batch>(`/unshipped-batches/${batch.id}/lines/${line.refundId}`, { status: 'voided' }, newIdempotencyKey());
      setBatch(answer);
      message.success(fmt(m.markedVoided, { orderNo: line.orderNo }));
    } catch (err) {
      await failed(err);
    } finally {
      setBusy(null);
    }
  };

  /** issue 15 §2: one confirmation that lists the orders, then each line marked on its own; a summary of what went through and what did not, and why */
  const voidSelected = () => {
    if (!batch) return;
    const lines = batch.lines.filter((l) => selectedIds.includes(l.refundId) && l.status === 'pending');
    if (lines.length === 0) return;
    modal.confirm({
      title: fmt(m.voidSelectedConfirm, { count: lines.length }),
      content: (
        <div>
          <Typography.Paragraph type="secondary">{m.voidSelectedHint}</Typography.Paragraph>
          <ul data-testid="batch-void-orders" style={{ maxHeight: 240, overflow: 'auto', paddingInlineStart: 20, margin: 0 }}>
            {lines.map((l) => (
              <li key={l.refundId}>
                {l.orderNo}（{yuan(l.amountFen)}）
              </li>
            ))}
          </ul>
        </div>
      ),
      okText: m.confirm,
      cancelText: m.cancel,
      onOk: async () => {
        setBusy('void-selected');
        try {
          const answer = await post<VoidAnswer>(`/unshipped-batches/${batch.id}/lines/void`, { refundIds: lines.map((l) => l.refundId) }, newIdempotencyKey());
          setBatch(answer.batch);
          setSelectedIds([]);
          setVoidSummary({ succeeded: answer.succeeded, refused: answer.results.filter((r) => !r.ok) });
        } catch (err) {
          await failed(err);
        } finally {
          setBusy(null);
        }
      },
    });
  };

  const pickBatch = (id: number) => {
    setSelectedIds([]);
    setVoidSummary(null);
    setSelectedId(id);
    setLoading(true);
    loadBatch(id)
      .then(() => setError(null))
      .catch((err: unknown) => setError(errorText(err, lang)))
      .finally(() => setLoading(false));
  };

  const markable = batch !== null && batch.status !== 'open' && mayMark;
  const columns: ColumnsType<BatchLine> = [
    { title: m.lineOrderNo, dataIndex: 'orderNo', key: 'orderNo', render: (v: string) => <Typography.Text copyable>{v}</Typography.Text> },
    {
      title: m.lineRefund,
      dataIndex: 'refundId',
      key: 'refundId',
      render: (id: number) => <Link to={`/refunds/${id}`}>{fmt(m.refundNo, { id })}</Link>,
    },
    { title: m.lineAmount, dataIndex: 'amountFen', key: 'amount', align: 'right', render: (v: number) => yuan(v) },
    {
      title: m.lineStatus,
      dataIndex: 'status',
      key: 'status',
      render: (s: BatchLine['status']) => <Tag color={lineStatusColour[s]}>{lineStatusText(s, m)}</Tag>,
    },
    { title: m.lineMarkedAt, dataIndex: 'markedAt', key: 'markedAt', render: (v: string | null) => dateTime(v, lang) },
  ];
  if (markable) {
    columns.push({
      title: m.lineActions,
      key: 'actions',
      render: (_: unknown, line) =>
        line.status === 'pending' ? (
          <Space wrap>
            <Popconfirm
              title={fmt(m.markVoidedConfirm, { orderNo: line.orderNo })}
              okText={m.confirm}
              cancelText={m.cancel}
              onConfirm={() => markVoided(line)}
            >
              <Button size="small" type="primary" loading={busy === `line-${line.refundId}`} aria-label={fmt(m.markVoidedOf, { orderNo: line.orderNo })}>
                {m.markVoided}
              </Button>
            </Popconfirm>
            <Button size="small" onClick={() => setShipLine(line)} aria-label={fmt(m.markShippedOf, { orderNo: line.orderNo })}>
              {m.markShipped}
            </Button>
          </Space>
        ) : null,
    });
  }

  if (loading && batches === null) return <Spin style={{ margin: 48 }} />;

  const counts = batch ? batchCounts(batch) : null;
  const pastCutoff = batch ? new Date(batch.cutoffAt).getTime() <= Date.now() : false;

  return (
    <Card
      title={m.batchTitle}
      extra={
        <Space wrap className="no-print">
          {mayCollect && (
            <Button onClick={collect} loading={busy === 'collect'} type={batch?.status === 'open' || !batch ? 'primary' : 'default'}>
              {m.collect}
            </Button>
          )}
          <Button onClick={() => void reload()} loading={loading}>
            {m.refresh}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{m.batchIntro}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {batches && batches.length === 0 && <Empty description={mayCollect ? m.noBatchCollector : m.noBatch} />}
      {batches && batches.length > 0 && (
        <Form layout="inline" style={{ marginBottom: 12 }}>
          <Form.Item label={m.batchPick} htmlFor="warehouse-batch-pick">
            <Select
              id="warehouse-batch-pick"
              style={{ minWidth: 280 }}
              value={selectedId ?? undefined}
              onChange={pickBatch}
              options={batches.map((b) => ({
                value: b.id,
                label: fmt(m.batchOption, { date: b.businessDate, state: batchStateText(b.status, m), count: b.lines.length }),
              }))}
            />
          </Form.Item>
        </Form>
      )}
      {batch && counts && (
        <>
          <Descriptions
            bordered
            size="small"
            column={{ xs: 1, sm: 2, lg: 3 }}
            style={{ marginBottom: 12 }}
            data-testid="batch-summary"
            items={[
              { key: 'date', label: m.businessDate, children: batch.businessDate },
              {
                key: 'cutoff',
                label: m.cutoff,
                children: (
                  <Space wrap>
                    <span data-testid="batch-cutoff">{dateTime(batch.cutoffAt, lang)}</span>
                    {batch.status === 'open' && (
                      <Typography.Text type="secondary">
                        {m.cutoffLeft} <Countdown timeLeftMs={new Date(batch.cutoffAt).getTime() - fetchedAt} fetchedAt={fetchedAt} />
                      </Typography.Text>
                    )}
                  </Space>
                ),
              },
              {
                key: 'state',
                label: m.batchState,
                children: (
                  <Tag color={batchStateColour[batch.status]} data-testid="batch-state">
                    {batchStateText(batch.status, m)}
                  </Tag>
                ),
              },
              { key: 'count', label: m.lineCount, children: batch.lines.length },
              { key: 'progress', label: m.progress, span: 2, children: fmt(m.progressText, counts) },
            ]}
          />
          <Space wrap style={{ marginBottom: 12 }} className="no-print">
            {mayCollect && batch.status === 'open' && (
              <Popconfirm title={m.sendConfirm} okText={m.confirm} cancelText={m.cancel} onConfirm={send} disabled={batch.lines.length === 0 || pastCutoff}>
                <Button type="primary" loading={busy === 'send'} disabled={batch.lines.length === 0 || pastCutoff}>
                  {m.send}
                </Button>
              </Popconfirm>
            )}
            {mayCollect && batch.status === 'open' && (batch.lines.length === 0 || pastCutoff) && (
              <Typography.Text type="secondary">{batch.lines.length === 0 ? m.sendEmpty : m.sendPastCutoff}</Typography.Text>
            )}
            <Button onClick={() => navigate(`/warehouse/batches/${batch.id}/print`)}>{m.printView}</Button>
            <Button href={batchFileUrl(batch.id, 'csv')} download>
              {m.downloadCsv}
            </Button>
            <Button href={batchFileUrl(batch.id, 'xlsx')} download>
              {m.downloadXlsx}
            </Button>
          </Space>
          {batch.status === 'open' && mayMark && <Alert type="info" showIcon title={m.openInfo} style={{ marginBottom: 12 }} />}
          {markable && (
            <Space wrap style={{ marginBottom: 12 }} className="no-print">
              <Button danger disabled={selectedIds.length === 0} loading={busy === 'void-selected'} onClick={voidSelected} data-testid="batch-void-selected">
                {selectedIds.length === 0 ? m.voidSelected : fmt(m.voidSelectedN, { count: selectedIds.length })}
              </Button>
              <Typography.Text type="secondary">{m.voidSelectedShipNote}</Typography.Text>
            </Space>
          )}
          {voidSummary && (
            <Alert
              type={voidSummary.refused.length === 0 ? 'success' : 'warning'}
              showIcon
              closable={{ onClose: () => setVoidSummary(null) }}
              style={{ marginBottom: 12 }}
              data-testid="batch-void-summary"
              title={fmt(voidSummary.refused.length === 0 ? m.voidSummaryAll : m.voidSummarySome, { ok: voidSummary.succeeded, refused: voidSummary.refused.length })}
              description={
                voidSummary.refused.length > 0 ? (
                  <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                    {voidSummary.refused.map((r) => (
                      <li key={r.refundId}>{fmt(m.voidRefusedLine, { orderNo: r.orderNo ?? fmt(m.refundNo, { id: r.refundId }), why: voidRefusalText(r, m) })}</li>
                    ))}
                  </ul>
                ) : undefined
              }
            />
          )}
          <Table<BatchLine>
            rowKey="refundId"
            rowSelection={
              markable
                ? {
                    selectedRowKeys: selectedIds,
                    onChange: (keys) => setSelectedIds(keys as number[]),
                    getCheckboxProps: (line) => ({ disabled: line.status !== 'pending', 'aria-label': fmt(m.selectLineOf, { orderNo: line.orderNo }) }),
                  }
                : undefined
            }
            size="middle"
            columns={columns}
            dataSource={batch.lines}
            loading={loading}
            pagination={batch.lines.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
            scroll={{ x: 'max-content' }}
          />
        </>
      )}
      {batch && (
        <ShipModal
          batch={batch}
          line={shipLine}
          onClose={() => setShipLine(null)}
          onDone={(answer, line) => {
            setBatch(answer);
            setShipLine(null);
            message.success(fmt(m.markedShipped, { orderNo: line.orderNo }));
          }}
          onConflict={() => {
            setShipLine(null);
            void reload();
          }}
        />
      )}
    </Card>
  );
}

interface VoidResult {
  refundId: number;
  orderNo: string | null;
  ok: boolean;
  code?: string;
  details?: Record<string, unknown>;
}
interface VoidAnswer {
  batch: Batch;
  succeeded: number;
  refused: number;
  results: VoidResult[];
}
interface VoidSummary {
  succeeded: number;
  refused: VoidResult[];
}

/** Why a line was not voided, in the page's words (the server's codes of a single mark). */
function voidRefusalText(r: VoidResult, m: (typeof warehouseMessages)['zh-CN']): string {
  if (r.code === 'NOT_FOUND') return m.voidWhyNotInBatch;
  if (r.code === 'VERSION_CONFLICT') return m.voidWhyMeanwhile;
  if (r.code === 'ACTION_NOT_ALLOWED') return r.details?.status === 'open' ? m.voidWhyNotSent : m.voidWhyAlreadyMarked;
  if (r.code === 'FORBIDDEN') return m.voidWhyForbidden;
  return m.voidWhyOther;
}

/** S2.2: the order already left — its courier and tracking number mark it shipped. */
function ShipModal({
  batch,
  line,
  onClose,
  onDone,
  onConflict,
}: {
  batch: Batch;
  line: BatchLine | null;
  onClose: () => void;
  onDone: (answer: Batch, line: BatchLine) => void;
  onConflict: () => void;
}) {
  const m = useMessages(warehouseMessages);
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ courier: string; trackingNo: string }>();
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  useEffect(() => {
    if (line) {
      form.resetFields();
      setError(null);
    }
  }, [line, form]);

  const submit = async (values: { courier: string; trackingNo: string }) => {
    if (!line) return;
    setSending(true);
    setError(null);
    try {
      const answer = await post<Batch>(
        `/unshipped-batches/${batch.id}/lines/${line.refundId}`,
        { status: 'already_shipped', courier: values.courier.trim(), trackingNo: normalizeTrackingNo(values.trackingNo) },
        newIdempotencyKey(),
      );
      onDone(answer, line);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        message.error(errorText(err, lang));
        onConflict();
      } else setError(errorText(err, lang));
    } finally {
      setSending(false);
    }
  };

  return (
    <Modal
      open={line !== null}
      title={line ? fmt(m.markShippedTitle, { orderNo: line.orderNo }) : ''}
      okText={m.confirm}
      cancelText={m.cancel}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={sending}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{m.markShippedHint}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={submit} preserve={false}>
        <Form.Item
          name="courier"
          label={m.shipCourier}
          rules={[
            { required: true, whitespace: true, message: m.shipCourierRequired },
            { max: 40, message: m.shipCourierTooLong },
          ]}
        >
          <Input autoFocus autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="trackingNo"
          label={m.shipTrackingNo}
          rules={[
            { required: true, whitespace: true, message: m.shipTrackingRequired },
            {
              validator: async (_rule, value: string | undefined) => {
                if (value && value.trim() && !TRACKING_NO.test(normalizeTrackingNo(value))) throw new Error(m.shipTrackingFormat);
              },
            },
          ]}
        >
          <Input autoComplete="off" onPressEnter={() => form.submit()} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
