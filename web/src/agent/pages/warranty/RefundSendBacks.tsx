/**
 * On a refund's page: the 三包 send-backs that reached this refund (issue 13,
 * S4.2/S4.3) — a return decided under 三包 opens or attaches the order's
 * refund — with what was decided, under which clause, the amount, and a link
 * to the send-back on the 三包 page. The refund's own records carry them
 * (records of kind send_back with this refund's id); nothing more is loaded.
 */
import { Alert, Space, Typography } from 'antd';
import { Link } from 'react-router';
import { dateTime, yuan } from '../../../shared/format.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import type { SendBack } from '../../../shared/warranty-types.ts';
import { refundSendBackMessages } from './messages.ts';

interface RecordLike {
  id: number;
  kind: string;
  data: Record<string, unknown>;
}

export function RefundSendBacks({ records }: { records: readonly RecordLike[] }) {
  const m = useMessages(refundSendBackMessages);
  const { lang } = useLang();
  const sendBacks = records.filter((r) => r.kind === 'send_back');
  if (sendBacks.length === 0) return null;
  return (
    <div data-testid="refund-send-backs" style={{ marginBottom: 12 }}>
      {sendBacks.map((r) => {
        const sb = r.data as unknown as SendBack;
        const clause = sb.decision?.clause;
        return (
          <Alert
            key={r.id}
            type="info"
            showIcon
            style={{ marginBottom: 8 }}
            title={fmt(m.title, { id: r.id })}
            description={
              <Space orientation="vertical" size={2}>
                <span>
                  {fmt(m.decided, { device: `${sb.brand} ${sb.model}`, id: sb.device.value, amount: yuan(sb.refund?.amountFen ?? sb.refundAmountFen ?? null) })}
                </span>
                {clause ? (
                  <Typography.Text type="secondary">
                    {fmt(m.clause, { title: clause.titleZh })}
                    {clause.citation ? fmt(m.citation, { citation: clause.citation }) : ''}
                  </Typography.Text>
                ) : null}
                {sb.received ? <span>{fmt(m.received, { at: dateTime(sb.received.at, lang) })}</span> : null}
                <Link to={`/warranty?tab=rma&sb=${r.id}`} data-testid="refund-send-back-link">
                  {m.open}
                </Link>
              </Space>
            }
          />
        );
      })}
    </div>
  );
}
