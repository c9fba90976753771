/**
 * Who works this refund: the assignee, "claim" (assign to me) and a picker of
 * the shop's staff who work refunds (POST /refunds/{id}/assign {userId|null};
 * GET /staff). The refund's version does not change with an assignment.
 */
import { App as AntApp, Button, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { get, post } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import type { RefundDetail } from '../../../shared/types.ts';
import { detailMessages } from './messages.ts';
import type { StaffMember } from './types.ts';

type Assignee = RefundDetail['assignee'];

/** The staff answer is a list (tolerating a page {items} too). */
function staffList(answer: unknown): StaffMember[] {
  const list = Array.isArray(answer) ? answer : ((answer as { items?: unknown[] } | null)?.items ?? []);
  return (list as StaffMember[]).filter((s) => s.assignable ?? s.roles.some((r) => r === 'agent' || r === 'supervisor'));
}

export function useAssign(refundId: number, onAssigned: (assignee: Assignee) => void) {
  const m = useMessages(detailMessages);
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState(false);
  const assign = async (userId: number | null, name?: string) => {
    setBusy(true);
    try {
      const answer = await post<{ assignee?: Assignee }>(`/refunds/${refundId}/assign`, { userId });
      onAssigned(answer.assignee ?? null);
      message.success(userId === null ? m.unassigned : name ? fmt(m.assigned, { name }) : m.claimed);
    } catch (err) {
      message.error(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };
  return { assign, busy };
}

export function Assignment({
  refundId,
  assignee,
  userId,
  mayAssign,
  onAssigned,
}: {
  refundId: number;
  assignee: Assignee;
  userId: number | null;
  mayAssign: boolean;
  onAssigned: (assignee: Assignee) => void;
}) {
  const m = useMessages(detailMessages);
  const [staff, setStaff] = useState<StaffMember[]>([]);
  const { assign, busy } = useAssign(refundId, onAssigned);

  useEffect(() => {
    if (!mayAssign) return;
    const controller = new AbortController();
    get<unknown>('/staff', undefined, controller.signal)
      .then((answer) => setStaff(staffList(answer)))
      .catch(() => setStaff([]));
    return () => controller.abort();
  }, [mayAssign]);

  const mine = assignee && userId !== null && assignee.userId === userId;
  return (
    <Space wrap data-testid="assignment">
      <Typography.Text type="secondary">{m.assignee}:</Typography.Text>
      <Typography.Text strong data-testid="assignee">
        {assignee?.displayName ?? m.nobody}
      </Typography.Text>
      {mayAssign && userId !== null && !mine && (
        <Button size="small" onClick={() => void assign(userId)} loading={busy} className="no-print">
          {m.claim}
        </Button>
      )}
      {mayAssign && staff.length > 0 && (
        <Select<number | 'none'>
          size="small"
          className="no-print"
          aria-label={m.assignTo}
          placeholder={m.assignTo}
          style={{ minWidth: 160 }}
          value={assignee?.userId ?? undefined}
          disabled={busy}
          onChange={(v) => {
            if (v === 'none') void assign(null);
            else void assign(v, staff.find((s) => s.userId === v)?.displayName);
          }}
          options={[
            ...staff.map((s) => ({ value: s.userId as number | 'none', label: s.displayName })),
            ...(assignee ? [{ value: 'none' as const, label: m.unassign }] : []),
          ]}
        />
      )}
    </Space>
  );
}
