/** The buyer's order: what was bought, where it is, its refunds with their status and time left (S3.7), and the way to apply. */
import { refundStatusLabels, refundTypeLabels, reasonLabels, tradeStatusLabels } from '../../../src/contract/labels.ts';
import { Countdown } from '../shared/Countdown.tsx';
import { dateTime, yuan } from '../shared/format.ts';
import { fmt, labelOf, useLang, useMessages } from '../shared/i18n.tsx';
import type { OrderDetail } from '../shared/types.ts';
import { applyBlocker, isOpen } from './guidance.ts';
import { buyerMessages } from './messages.ts';
import { itemLabel } from './RefundView.tsx';
import { Button, Notice, PageTitle } from './ui.tsx';
import { WarrantyEntry } from './WarrantyEntry.tsx';

export function OrderView({ order, fetchedAt, onApply }: { order: OrderDetail; fetchedAt: number; onApply: () => void }) {
  const t = useMessages(buyerMessages);
  const { lang } = useLang();
  const blocker = applyBlocker(order);
  const refunds = [...order.refunds].sort((a, b) => Number(isOpen(b)) - Number(isOpen(a)) || b.createdAt.localeCompare(a.createdAt));

  return (
    <div className="b-page">
      <PageTitle>
        {t.order} {order.orderNo}
      </PageTitle>
      <section className="b-card" aria-labelledby="order-status">
        <div className="b-kicker">{t.orderStatus}</div>
        <h2 id="order-status" data-testid="order-status">
          {labelOf(tradeStatusLabels[order.status], lang)}
        </h2>
        <dl className="b-facts">
          <div className="b-row">
            <dt>{t.paid}</dt>
            <dd>
              <strong>{yuan(order.paidFen)}</strong>
              {order.postageFen > 0 && (
                <span className="b-hint">
                  {' '}
                  ({t.postage} {yuan(order.postageFen)})
                </span>
              )}
            </dd>
          </div>
          {order.shipment && (
            <>
              <div className="b-row">
                <dt>{t.shippedBy}</dt>
                <dd>
                  {order.shipment.courier} {order.shipment.trackingNo}
                </dd>
              </div>
              <div className="b-row">
                <dt>{t.signedAt}</dt>
                <dd>{order.shipment.signedAt ? dateTime(order.shipment.signedAt, lang) : t.notSigned}</dd>
              </div>
            </>
          )}
        </dl>
      </section>

      <section className="b-card" aria-labelledby="items-title">
        <h2 id="items-title">{t.items}</h2>
        <ul className="b-lines">
          {order.lines.map((l) => (
            <li key={l.lineNo}>
              <div className="b-line-title">{l.title}</div>
              <div className="b-line-meta">
                <span>{fmt(t.itemLine, { style: l.style, size: l.size, qty: l.quantity })}</span>
                <span>{yuan(l.unitPriceFen * l.quantity)}</span>
              </div>
            </li>
          ))}
        </ul>
      </section>

      <WarrantyEntry orderNo={order.orderNo} />

      <section className="b-card" aria-labelledby="refunds-title">
        <h2 id="refunds-title">{t.refundsTitle}</h2>
        {refunds.length === 0 && <p className="b-hint">{t.noRefunds}</p>}
        <ul className="b-refunds">
          {refunds.map((r) => (
            <li key={r.id}>
              <a className={`b-refund-link${isOpen(r) ? ' open' : ''}`} href={`#/refund/${r.id}`} data-testid="refund-link">
                <span className="b-refund-top">
                  <strong>{labelOf(refundStatusLabels[r.status], lang)}</strong>
                  <span>{yuan(r.amountFen)}</span>
                </span>
                <span className="b-hint">
                  {fmt(t.refundNo, { id: r.id })} · {labelOf(refundTypeLabels[r.type], lang)} · {labelOf(reasonLabels[r.reason], lang)} · {itemLabel(r, order, t)}
                </span>
                {r.deadline && r.deadline.timeLeftMs !== null && isOpen(r) && (
                  <span className="b-refund-deadline">
                    {t.timeLeft}: <Countdown timeLeftMs={r.deadline.timeLeftMs} fetchedAt={fetchedAt} />
                  </span>
                )}
                <span className="b-refund-more" aria-hidden="true">
                  {t.viewRefund} ›
                </span>
              </a>
            </li>
          ))}
        </ul>
      </section>

      {order.status === 'WAIT_BUYER_CONFIRM_GOODS' && <Notice level="info">{t.confirmReceiptWarn}</Notice>}
      {blocker ? (
        <Notice level="info" testId="apply-blocked">
          {t[blocker]}
        </Notice>
      ) : (
        <div className="b-actions">
          <Button kind="primary" className="b-wide" onClick={onApply}>
            {t.applyRefund}
          </Button>
        </div>
      )}
    </div>
  );
}
