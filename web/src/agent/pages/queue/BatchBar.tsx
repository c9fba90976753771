/**
 * Issue 15 §2: the queue's batch toolbar, shown while rows are selected —
 * 认领, 分配给…, 备注 (with its flag), 批量同意 (refund-only within the
 * supervisor's limit; off, with the reason, for a selection holding returns or
 * larger amounts), 加入未发退清单 (collects every eligible unshipped refund,
 * as the confirmation says) and 导出所选 — then a summary of what went
 * through and, for each refund refused, its order number and why in words.
 */
import { Alert, App as AntApp, Button, Form, Input, Modal, Select, Tooltip, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { z } from 'zod';
import type { ZBatchRefundAnswer } from '../../../../../src/contract/schemas.ts';
import { ApiError, get, newIdempotencyKey, post } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { yuan } from '../../../shared/format.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import type { Refund } from '../../../shared/types.ts';
import { batchAgreeBlock, downloadFile } from './batch-model.ts';
import { batchMessages } from './batch-messages.ts';

export type BatchAnswer = z.infer<typeof ZBatchRefundAnswer>;
type BatchAction = BatchAnswer['action'];

export interface StaffMember {
  userId: number;
  displayName: string;
}

const REMARK_MAX_BYTES = 1000;
const encoder = new TextEncoder();

/** The shop's batch agree limit, read once per page load (agents may read the shop settings). */
let limitRead: Promise<number> | null = null;

export function BatchBar({ selected, staff, onClear, onDone }: { selected: Refund[]; staff: StaffMember[]; onClear: () => void; onDone: () => void }) {
  const m = useMessages(batchMessages);
  const { lang } = useLang();
  const { message, modal } = AntApp.useApp();
  const [limitFen, setLimitFen] = useState<number | null>(null);
  const [busy, setBusy] = useState<BatchAction | 'collect' | 'export' | null>(null);
  const [assignOpen, setAssignOpen] = useState(false);
  const [remarkOpen, setRemarkOpen] = useState(false);
  const [summary, setSummary] = useState<{ answer: BatchAnswer; refunds: Map<number, Refund> } | null>(null);

  useEffect(() => {
    limitRead ??= get<{ batchAgreeLimitFen: number }>('/shop/settings').then((s) => s.batchAgreeLimitFen);
    let live = true;
    limitRead.then((n) => live && setLimitFen(n)).catch(() => {
      limitRead = null;
      if (live) setLimitFen(0);
    });
    return () => {
      live = false;
    };
  }, []);

  const run = async (body: { action: BatchAction } & Record<string, unknown>) => {
    setBusy(body.action);
    try {
      const refunds = new Map(selected.map((r) => [r.id, r]));
      const answer = await post<BatchAnswer>('/refunds/batch', { ...body, refundIds: selected.map((r) => r.id) }, newIdempotencyKey());
      setSummary({ answer, refunds });
      onDone();
    } catch (err) {
      message.error(errorText(err, lang));
    } finally {
      setBusy(null);
    }
  };

  const block = batchAgreeBlock(selected, limitFen);
  const blockText =
    block === null
      ? undefined
      : block.kind === 'loading'
        ? m.batchAgreeLoading
        : block.kind === 'off'
          ? m.batchAgreeDisabledOff
          : block.kind === 'returns'
            ? fmt(m.batchAgreeDisabledReturns, { n: block.n })
            : fmt(m.batchAgreeDisabledOver, { n: block.n, limit: yuan(limitFen) });

  const agree = () =>
    modal.confirm({
      title: fmt(m.batchAgreeConfirmTitle, { n: selected.length }),
      content: fmt(m.batchAgreeConfirm, { total: yuan(selected.reduce((s, r) => s + r.amountFen, 0)) }),
      okText: m.batchAgreeOk,
      cancelText: m.cancel,
      onOk: () => run({ action: 'agree', versions: selected.map((r) => r.version) }),
    });

  const collect = () =>
    modal.confirm({
      title: m.addToUnshippedTitle,
      content: m.addToUnshippedConfirm,
      okText: m.addToUnshippedOk,
      cancelText: m.cancel,
      onOk: async () => {
        setBusy('collect');
        try {
          const batch = await post<{ lines: unknown[] }>('/unshipped-batches/collect', {});
          message.success(fmt(m.addToUnshippedDone, { n: batch.lines.length }));
          onDone();
        } catch (err) {
          message.error(errorText(err, lang));
        } finally {
          setBusy(null);
        }
      },
    });

  const exportSelected = async () => {
    setBusy('export');
    try {
      await downloadFile('/refunds/export', { id: selected.map((r) => r.id) });
      message.success(m.exportStarted);
    } catch (err) {
      message.error(errorText(err, lang));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div
      role="toolbar"
      aria-label={fmt(m.selectedCount, { n: selected.length })}
      data-testid="batch-bar"
      style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center', padding: '8px 12px', marginBottom: 12, background: '#e6f4ff', border: '1px solid #91caff', borderRadius: 6 }}
    >
      <Typography.Text strong data-testid="batch-count">
        {fmt(m.selectedCount, { n: selected.length })}
      </Typography.Text>
      <Button onClick={() => void run({ action: 'claim' })} loading={busy === 'claim'} data-testid="batch-claim">
        {m.batchClaim}
      </Button>
      <Button onClick={() => setAssignOpen(true)} disabled={staff.length === 0} data-testid="batch-assign">
        {m.batchAssign}
      </Button>
      <Button onClick={() => setRemarkOpen(true)} loading={busy === 'remark'} data-testid="batch-remark">
        {m.batchRemark}
      </Button>
      <Tooltip title={blockText}>
        {/* a disabled button gets no pointer events: the span carries the tooltip */}
        <span>
          <Button type="primary" onClick={agree} disabled={block !== null} loading={busy === 'agree'} data-testid="batch-agree" aria-describedby={block ? 'batch-agree-why' : undefined}>
            {limitFen && limitFen > 0 ? fmt(m.batchAgree, { limit: yuan(limitFen) }) : m.batchAgreeOff}
          </Button>
        </span>
      </Tooltip>
      <Button onClick={collect} loading={busy === 'collect'} data-testid="batch-unshipped">
        {m.addToUnshipped}
      </Button>
      <Button onClick={() => void exportSelected()} loading={busy === 'export'} data-testid="batch-export">
        {m.exportSelected}
      </Button>
      <Button type="link" onClick={onClear} data-testid="batch-clear">
        {m.clearSelection}
      </Button>
      {block && block.kind !== 'loading' && (
        <Typography.Text type="secondary" id="batch-agree-why" data-testid="batch-agree-why" style={{ flexBasis: '100%' }}>
          {blockText}
        </Typography.Text>
      )}

      <AssignDialog
        open={assignOpen}
        n={selected.length}
        staff={staff}
        onClose={() => setAssignOpen(false)}
        onAssign={(userId) => {
          setAssignOpen(false);
          void run({ action: 'assign', assigneeId: userId });
        }}
      />
      <RemarkDialog
        open={remarkOpen}
        n={selected.length}
        onClose={() => setRemarkOpen(false)}
        onRemark={(text, flag) => {
          setRemarkOpen(false);
          void run({ action: 'remark', text, flag });
        }}
      />
      <SummaryDialog summary={summary} onClose={() => setSummary(null)} />
    </div>
  );
}

function AssignDialog({ open, n, staff, onClose, onAssign }: { open: boolean; n: number; staff: StaffMember[]; onClose: () => void; onAssign: (userId: number) => void }) {
  const m = useMessages(batchMessages);
  const [userId, setUserId] = useState<number | null>(null);
  return (
    <Modal
      open={open}
      title={fmt(m.assignDialogTitle, { n })}
      onCancel={onClose}
      okText={m.assignOk}
      cancelText={m.cancel}
      okButtonProps={{ disabled: userId === null, 'data-testid': 'batch-assign-ok' }}
      onOk={() => userId !== null && onAssign(userId)}
      destroyOnHidden
    >
      <Select
        autoFocus
        aria-label={m.assignPick}
        placeholder={m.assignPick}
        style={{ width: '100%' }}
        value={userId}
        onChange={(v: number) => setUserId(v)}
        options={staff.map((s) => ({ value: s.userId, label: s.displayName }))}
        data-testid="batch-assign-select"
      />
    </Modal>
  );
}

function RemarkDialog({ open, n, onClose, onRemark }: { open: boolean; n: number; onClose: () => void; onRemark: (text: string, flag: number) => void }) {
  const m = useMessages(batchMessages);
  const [form] = Form.useForm<{ text: string; flag: number }>();
  const flagNames = [m.flag0, m.flag1, m.flag2, m.flag3, m.flag4, m.flag5];
  return (
    <Modal
      open={open}
      title={fmt(m.remarkDialogTitle, { n })}
      onCancel={onClose}
      okText={m.remarkOk}
      cancelText={m.cancel}
      okButtonProps={{ 'data-testid': 'batch-remark-ok' }}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{m.remarkOnce}</Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ flag: 0 }} onFinish={(v) => onRemark(v.text.trim(), v.flag)}>
        <Form.Item
          label={m.remarkText}
          name="text"
          required
          rules={[
            {
              validator: (_, v: string | undefined) => {
                const text = (v ?? '').trim();
                if (!text) return Promise.reject(new Error(m.remarkRequired));
                const bytes = encoder.encode(text).length;
                return bytes <= REMARK_MAX_BYTES ? Promise.resolve() : Promise.reject(new Error(fmt(m.remarkTooLong, { bytes })));
              },
            },
          ]}
        >
          <Input.TextArea rows={3} autoFocus data-testid="batch-remark-text" />
        </Form.Item>
        <Form.Item label={m.remarkFlag} name="flag" style={{ marginBottom: 0 }}>
          <Select style={{ width: 140 }} aria-label={m.remarkFlag} options={flagNames.map((label, value) => ({ value, label }))} data-testid="batch-remark-flag" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function SummaryDialog({ summary, onClose }: { summary: { answer: BatchAnswer; refunds: Map<number, Refund> } | null; onClose: () => void }) {
  const m = useMessages(batchMessages);
  const { lang } = useLang();
  if (!summary) return null;
  const { answer, refunds } = summary;
  const actionName = { claim: m.summaryClaim, assign: m.summaryAssign, remark: m.summaryRemark, agree: m.summaryAgree }[answer.action];
  const refused = answer.results.filter((r) => !r.ok);
  const pending = answer.results.filter((r) => r.ok && r.syncPending).length;
  return (
    <Modal
      open
      title={fmt(m.summaryTitle, { action: actionName })}
      onCancel={onClose}
      footer={
        <Button type="primary" onClick={onClose} data-testid="batch-summary-close">
          {m.summaryClose}
        </Button>
      }
    >
      <div data-testid="batch-summary">
        <Alert
          type={refused.length === 0 ? 'success' : 'warning'}
          showIcon
          title={refused.length === 0 ? fmt(m.summaryAllDone, { ok: answer.succeeded }) : fmt(m.summaryDone, { ok: answer.succeeded, refused: answer.refused })}
          description={pending > 0 ? fmt(m.summarySyncPending, { n: pending }) : undefined}
          style={{ marginBottom: refused.length ? 12 : 0 }}
          data-testid="batch-summary-counts"
        />
        {refused.length > 0 && (
          <>
            <Typography.Text strong>{m.summaryRefused}</Typography.Text>
            <ul style={{ paddingLeft: 20, margin: '6px 0 0', maxHeight: 320, overflowY: 'auto' }} data-testid="batch-summary-refused">
              {refused.map((r) => {
                const orderNo = r.orderNo ?? refunds.get(r.refundId)?.orderNo ?? null;
                return (
                  <li key={r.refundId} data-refund-id={r.refundId} style={{ marginBottom: 6 }}>
                    <Link to={`/refunds/${r.refundId}`} onClick={onClose}>
                      {orderNo ? fmt(m.summaryOrderNo, { orderNo }) : fmt(m.summaryUnknownOrder, { id: r.refundId })}
                    </Link>
                    {lang === 'en' ? ': ' : '：'}
                    <span>{errorText(new ApiError(0, r.code ?? 'INTERNAL', r.message ?? '', r.details ?? {}), lang)}</span>
                  </li>
                );
              })}
            </ul>
          </>
        )}
      </div>
    </Modal>
  );
}
