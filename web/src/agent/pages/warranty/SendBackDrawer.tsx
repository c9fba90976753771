/**
 * One send-back (送检, S4.3–S4.5) in a drawer: where it stands, the device and
 * the item, the terms the buyer accepted (the text of S4.3, with the time),
 * what arrived, the test, the report with its photos, the decision with its
 * clause, the parcel back (an exchange: the old and the new IMEI/MEID, the
 * host only), its history, and the actions open to the caller
 * (allowedActions). Every action carries the version shown; when somebody
 * changed it first (409) it reloads. Issue 13: the day the buyer first
 * reported the fault, the refund a return opened or attached (a link to it),
 * the new host of an exchange (a device of its own), and the postage as
 * money (the courier's charges, each side's share, the settlement).
 */
import { RecordDrawerFrame } from '../../../shared/RecordDrawerFrame.tsx';
import { Alert, Button, Descriptions, Space, Steps, Tag, Timeline, Typography } from 'antd';
import { Link } from 'react-router';
import { refundStatusLabels } from '../../../../../src/contract/labels.ts';
import { ApiError, get } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { dateTime, yuan } from '../../../shared/format.ts';
import { fmt, labelOf, useLang, useMessages, type Lang } from '../../../shared/i18n.tsx';
import { useLoad } from '../../../shared/use-api.ts';
import { cardHref, sendBackFlow, type SendBack, type SendBackDetail } from '../../../shared/warranty-types.ts';
import { roleNames } from '../../messages.ts';
import { EvidenceList } from '../refund/Evidence.tsx';
import { ClauseBlock, DecisionView, remedyColours } from './DecisionView.tsx';
import { sendBackStatusColours } from './DeviceFacts.tsx';
import { warrantyMessages } from './messages.ts';
import { usePolicy } from './model.ts';
import { SendBackActions } from './SendBackActions.tsx';

export function SendBackDrawer({ id, onClose, onChanged, onShowDevice }: { id: number | null; onClose: () => void; onChanged: () => void; onShowDevice: (deviceId: number) => void }) {
  const m = useMessages(warrantyMessages);
  const roles = useMessages(roleNames) as Record<string, string>;
  const { data, error, loading, reload } = useLoad((signal) => (id ? get<SendBackDetail>(`/send-backs/${id}`, undefined, signal) : Promise.resolve(null)), [id]);
  const detail = data && data.id === id ? data : null;
  const changed = () => {
    reload();
    onChanged();
  };

  return (
    <RecordDrawerFrame open={id !== null} onClose={onClose} width={860} title={id ? fmt(m.sendBackTitle, { id }) : ''} loading={loading} error={error} ready={!!detail}>
      {detail ? (
        <>
          <SendBackBody detail={detail} roles={roles} onChanged={changed} onShowDevice={onShowDevice} />
        </>
      ) : null}
    </RecordDrawerFrame>
  );
}

function SendBackBody({ detail, roles, onChanged, onShowDevice }: { detail: SendBackDetail; roles: Record<string, string>; onChanged: () => void; onShowDevice: (id: number) => void }) {
  const m = useMessages(warrantyMessages);
  const { lang } = useLang();
  const { policy } = usePolicy();
  const sb = detail.sendBack;
  const en = lang === 'en';
  const current = detail.status === 'cancelled' ? -1 : sendBackFlow.indexOf(detail.status);
  const itemLabel = sb.item.part === 'host' ? m.part_host : m[`acc_${sb.item.part}`];
  const sendItemLabel = (i: string) => {
    const l = policy.sendItemLabels[i as keyof typeof policy.sendItemLabels];
    return l ? (en ? l.en : l.zh) : i;
  };

  return (
    <div data-testid="send-back-detail">
      <Space wrap style={{ marginBottom: 12 }}>
        <Tag color={sendBackStatusColours[detail.status]} data-testid="send-back-status" style={{ fontSize: 14, padding: '2px 10px' }}>
          {m[`status_${detail.status}`]}
        </Tag>
        {sb.chosenRemedy ? (
          <Tag color={remedyColours[sb.chosenRemedy]} style={{ fontSize: 14, padding: '2px 10px' }}>
            {m[`remedy_${sb.chosenRemedy}`]}
          </Tag>
        ) : null}
        <Typography.Text type="secondary">{sb.policy.version === 0 ? fmt(m.policyDefault, { id: sb.policy.id }) : fmt(m.policyUsed, { id: sb.policy.id, version: sb.policy.version })}</Typography.Text>
      </Space>
      {detail.status !== 'cancelled' ? (
        <Steps
          size="small"
          current={current}
          style={{ marginBottom: 16, overflowX: 'auto' }}
          items={sendBackFlow.map((s) => ({ key: s, title: m[`status_${s}`] }))}
          responsive={false}
          labelPlacement="vertical"
        />
      ) : null}

      <SendBackActions detail={detail} onChanged={onChanged} />

      <Descriptions
        size="small"
        bordered
        column={1}
        style={{ margin: '16px 0' }}
        items={[
          {
            key: 'device',
            label: m.device,
            children: (
              <Space wrap>
                <span>
                  {detail.device.brand} {detail.device.model}
                </span>
                <Typography.Text code copyable>
                  {detail.device.deviceId}
                </Typography.Text>
                <Button size="small" onClick={() => onShowDevice(detail.device.id)}>
                  {m.showDevice}
                </Button>
                <Button size="small" href={cardHref(detail.device.id)} target="_blank" rel="noopener">
                  {m.printCard}
                </Button>
              </Space>
            ),
          },
          { key: 'order', label: m.orderNo, children: sb.orderNo },
          { key: 'item', label: m.item, children: `${itemLabel} · ${m[`origin_${sb.item.origin}`]}` },
          { key: 'dates', label: m.dates, children: fmt(m.datesLine, { purchase: sb.purchaseDate, delivery: sb.deliveryDate ?? '—', request: sb.requestDate }) },
          ...(sb.invoiceDate ? [{ key: 'invoice', label: m.invoiceDate, children: sb.invoiceDate }] : []),
          ...(sb.hostPeriodsFrom ? [{ key: 'hostFrom', label: m.hostPeriodsFrom, children: fmt(m.hostPeriodsFromLine, { date: sb.hostPeriodsFrom }) }] : []),
          ...(sb.reported
            ? [
                {
                  key: 'reported',
                  label: m.faultReportedOn,
                  children: (
                    <div data-testid="send-back-reported">
                      {sb.reported.via ? fmt(m.reportedLine, { date: sb.reported.on, via: m[`via_${sb.reported.via}`] }) : fmt(m.reportedLineNoVia, { date: sb.reported.on })}
                      {sb.reported.note ? <Typography.Paragraph style={{ margin: '4px 0 0' }}>“{sb.reported.note}”</Typography.Paragraph> : null}
                    </div>
                  ),
                },
              ]
            : []),
          { key: 'fault', label: m.faultDescription, children: <span style={{ whiteSpace: 'pre-wrap' }}>{sb.faultDescription}</span> },
          {
            key: 'terms',
            label: m.terms,
            children: (
              <div data-testid="send-back-terms">
                {sb.terms.accepted ? (
                  <Tag color="green">
                    {fmt(m.termsAcceptedLine, {
                      at: dateTime(sb.terms.accepted.at, lang, true),
                      via: m[`via_${sb.terms.accepted.via}`],
                      by: roles[sb.terms.accepted.by] ?? sb.terms.accepted.by,
                    })}
                  </Tag>
                ) : (
                  <Tag color="gold">{m.termsNotAccepted}</Tag>
                )}
                {sb.terms.accepted?.evidence ? <Typography.Paragraph style={{ margin: '4px 0' }}>“{sb.terms.accepted.evidence}”</Typography.Paragraph> : null}
                <details>
                  <summary style={{ cursor: 'pointer' }}>{m.termsText}</summary>
                  <Typography.Paragraph lang="zh-CN" style={{ marginTop: 4 }}>
                    {sb.terms.textZh} <Typography.Text code>{sb.terms.clauseId}</Typography.Text>
                  </Typography.Paragraph>
                </details>
              </div>
            ),
          },
          ...(sb.received
            ? [
                {
                  key: 'received',
                  label: m.received,
                  children: (
                    <div>
                      <div>{fmt(m.receivedLine, { at: dateTime(sb.received.at, lang), trackingNo: sb.received.trackingNo })}</div>
                      <div>
                        {m.itemsReceived}: {sb.received.itemsReceived.map(sendItemLabel).join(m.listSep) || '—'}
                      </div>
                      {sb.received.missing.length ? (
                        <div style={{ color: '#cf1322' }}>
                          {m.itemsMissing}: {sb.received.missing.map(sendItemLabel).join(m.listSep)}
                        </div>
                      ) : null}
                    </div>
                  ),
                },
              ]
            : []),
          ...(sb.test
            ? [
                {
                  key: 'test',
                  label: m.test,
                  children: (
                    <div>
                      {fmt(m.testLine, { at: dateTime(sb.test.at, lang), by: m[`confirmer_${sb.test.testedBy}`] })}
                      {sb.test.centreName ? ` · ${sb.test.centreName}` : ''}
                      {sb.test.notes ? <div style={{ whiteSpace: 'pre-wrap' }}>{sb.test.notes}</div> : null}
                    </div>
                  ),
                },
              ]
            : []),
          ...(sb.report
            ? [
                {
                  key: 'report',
                  label: m.report,
                  children: (
                    <div data-testid="send-back-report">
                      <Space wrap>
                        <Tag color={sb.report.result === 'fault_confirmed' ? 'green' : 'red'}>{m[`result_${sb.report.result}`]}</Tag>
                        <Typography.Text type="secondary">{dateTime(sb.report.at, lang)}</Typography.Text>
                      </Space>
                      <div style={{ whiteSpace: 'pre-wrap' }}>{sb.report.summary}</div>
                      <div>
                        {[
                          sb.report.condition.scratches ? m.scratchesYes : m.scratchesNo,
                          sb.report.condition.accessoriesIntact ? m.accessoriesIntactYes : m.accessoriesIntactNo,
                          ...sb.report.condition.resaleMarks.map((r) => (en ? policy.resaleMarkLabels[r].en : policy.resaleMarkLabels[r].zh)),
                        ].join(m.listSep)}
                      </div>
                      {sb.report.faultCode ? <div>{policy.performanceFaults.find((f) => f.code === sb.report?.faultCode)?.textZh ?? sb.report.faultCode}</div> : null}
                      <EvidenceList items={sb.report.photos} compact />
                    </div>
                  ),
                },
              ]
            : []),
          ...(sb.shipment
            ? [
                {
                  key: 'shipment',
                  label: m.shipment,
                  children: (
                    <div data-testid="send-back-shipment">
                      <div>{fmt(m.shipmentLine, { at: dateTime(sb.shipment.at, lang), courier: sb.shipment.courier, trackingNo: sb.shipment.trackingNo })}</div>
                      {sb.shipment.exchange ? (
                        <div style={{ marginTop: 4 }}>
                          <div>
                            {m.oldDeviceId}: <Typography.Text code>{sb.shipment.exchange.old.value}</Typography.Text> → {m.newDeviceId}:{' '}
                            <Typography.Text code data-testid="exchange-new-id">
                              {sb.shipment.exchange.new.value}
                            </Typography.Text>
                          </div>
                          {sb.shipment.exchange.newDeviceRowId ? (
                            <Button size="small" style={{ marginTop: 4 }} onClick={() => onShowDevice(sb.shipment!.exchange!.newDeviceRowId!)} data-testid="show-new-device">
                              {m.showNewDevice}
                            </Button>
                          ) : null}
                          <Alert type="info" showIcon style={{ marginTop: 4 }} title={m.boxNoticeTitle} description={<span lang="zh-CN">{sb.shipment.exchange.boxNoticeZh}</span>} />
                        </div>
                      ) : null}
                    </div>
                  ),
                },
              ]
            : []),
          ...(sb.refund ? [{ key: 'refund', label: m.refundTitle, children: <RefundLinkView link={sb.refund} lang={lang} /> }] : []),
          ...(sb.decision && (sb.postage || detail.status === 'decided' || detail.status === 'shipped_back')
            ? [{ key: 'postage', label: m.postageMoneyTitle, children: <PostageView postage={sb.postage ?? null} lang={lang} /> }]
            : []),
          ...(sb.closed ? [{ key: 'closed', label: m.closedAt, children: `${dateTime(sb.closed.at, lang)}${sb.closed.note ? ` · ${sb.closed.note}` : ''}` }] : []),
          ...(sb.cancelled
            ? [{ key: 'cancelled', label: m.cancelledAt, children: `${dateTime(sb.cancelled.at, lang)} · ${roles[sb.cancelled.by] ?? sb.cancelled.by} · ${sb.cancelled.reason}` }]
            : []),
        ]}
      />

      {sb.decision ? (
        <>
          <Typography.Title level={5}>{m.decisionTitle}</Typography.Title>
          <DecisionView decision={sb.decision} />
        </>
      ) : null}
      {!sb.decision && sb.item.part === 'host' && policy.clauses[policy.exchangeHostOnlyClauseId] ? (
        <details style={{ marginTop: 8 }}>
          <summary style={{ cursor: 'pointer' }}>{m.hostOnlyTitle}</summary>
          <ClauseBlock clause={policy.clauses[policy.exchangeHostOnlyClauseId]!} compact />
        </details>
      ) : null}

      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {m.history}
      </Typography.Title>
      <Timeline
        data-testid="send-back-history"
        items={detail.events.map((e) => ({
          key: e.version,
          content: (
            <span>
              {m[`event_${e.action}` as 'event_create'] ?? e.action} {fmt(m.byRole, { role: roles[e.actorRole] ?? e.actorRole })}{' '}
              <Typography.Text type="secondary">{dateTime(e.at, lang)}</Typography.Text>
            </span>
          ),
        }))}
      />
    </div>
  );
}

/** S4.2/S4.3 (issue 13): the refund a return reached — opened, attached, the platform's — with a link to it, or why none was opened. */
function RefundLinkView({ link, lang }: { link: NonNullable<SendBack['refund']>; lang: Lang }) {
  const m = useMessages(warrantyMessages);
  const platform = link.platform ? m[`platform_${link.platform}`] : '';
  const text =
    link.state === 'opened'
      ? fmt(m.refund_opened, { id: link.refundId ?? '—', amount: yuan(link.amountFen) })
      : link.state === 'attached'
        ? fmt(m.refund_attached, { id: link.refundId ?? '—', refund: yuan(link.refundAmountFen), amount: yuan(link.amountFen) })
        : link.state === 'platform'
          ? fmt(link.refundId !== null ? m.refund_platform_linked : m.refund_platform, { platform, id: link.refundId ?? '—' })
          : fmt(m.refund_blocked, { problem: link.problem ? errorText(new ApiError(409, link.problem.code, link.problem.message), lang) : '—' });
  return (
    <div data-testid="send-back-refund">
      <Alert
        type={link.state === 'blocked' ? 'error' : link.state === 'platform' ? 'warning' : 'success'}
        showIcon
        title={text}
        description={
          <Space wrap>
            {link.refundStatus ? <span>{fmt(m.refundStatusNow, { status: labelOf(refundStatusLabels[link.refundStatus as keyof typeof refundStatusLabels], lang, link.refundStatus) })}</span> : null}
            {link.state === 'attached' && link.refundAmountFen !== null && link.refundAmountFen !== link.amountFen ? <Tag color="orange">{m.refundAmountDiffers}</Tag> : null}
            {link.refundId !== null ? (
              <Link to={`/refunds/${link.refundId}`} data-testid="send-back-refund-link">
                {m.openRefund} #{link.refundId}
              </Link>
            ) : null}
          </Space>
        }
      />
    </div>
  );
}

/** S4.3 (issue 13): the postage as money — each leg's charge and shares, the balance, the settlement. */
function PostageView({ postage, lang }: { postage: NonNullable<SendBack['postage']> | null; lang: Lang }) {
  const m = useMessages(warrantyMessages);
  if (!postage) return <Typography.Text type="secondary">{m.postageNotRecorded}</Typography.Text>;
  const owed = postage.shopOwesBuyerFen;
  const settled = postage.settled;
  return (
    <div data-testid="send-back-postage">
      <ul style={{ margin: 0, paddingInlineStart: 18 }}>
        {postage.legs.map((l) => (
          <li key={l.leg}>
            {fmt(m.postageLegLine, {
              leg: m[`leg_${l.leg}`],
              charged: yuan(l.chargedFen),
              payer: m[`paidBy_${l.paidBy}`],
              buyer: yuan(l.buyerShareFen),
              shop: yuan(l.shopShareFen),
            })}
          </li>
        ))}
      </ul>
      <Space wrap style={{ marginTop: 4 }}>
        <Tag color={owed === 0 ? 'default' : 'blue'} data-testid="postage-balance">
          {owed === 0 ? m.postageEven : fmt(owed > 0 ? m.postageShopOwes : m.postageBuyerOwes, { amount: yuan(Math.abs(owed)) })}
        </Tag>
        {owed !== 0 ? (
          settled ? (
            <Tag color="green" data-testid="postage-settled">
              {settled.method === 'waived'
                ? fmt(m.postageSettledWaived, { at: dateTime(settled.at, lang) })
                : fmt(m.postageSettledLine, { at: dateTime(settled.at, lang), method: m[`method_${settled.method}`], amount: yuan(settled.amountFen) })}
            </Tag>
          ) : (
            <Tag color="orange">{m.postageUnsettled}</Tag>
          )
        ) : null}
      </Space>
      {settled?.note ? <Typography.Paragraph style={{ margin: '4px 0 0' }}>{settled.note}</Typography.Paragraph> : null}
    </div>
  );
}
