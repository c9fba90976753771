/**
 * The service and repair record (售后服务及维修记录单, S5.3–S5.8): what the
 * call said, the product and its warranty, leadership's decision, the lead,
 * the inspection and quote, the customer's choice, the work, payment and
 * invoice, the follow-up calls; its dispatches, its history, and the actions
 * the server opens to the caller (`allowedActions`), each sent with the
 * record's version (a 409 reloads it). Printable like the paper form
 * (GET /service/records/{id}?format=print in a new tab).
 */
import { RecordDrawerFrame } from '../../../shared/RecordDrawerFrame.tsx';
import { EvidenceList } from '../refund/Evidence.tsx';
import { Alert, Button, Descriptions, Empty, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { marketLabels, periodLabel } from '../../../../../src/core/service/archive.ts';
import { satisfactionLabels } from '../../../../../src/core/service/follow-up.ts';
import { paperworkGaps } from '../../../../../src/core/service/repair-record.ts';
import { get, withQuery } from '../../../shared/api.ts';
import { dateTime, yuan } from '../../../shared/format.ts';
import { fmt, labelOf, useLang, useMessages } from '../../../shared/i18n.tsx';
import { useSignedIn } from '../../../shared/session.tsx';
import { useLoad } from '../../../shared/use-api.ts';
import { roleNames } from '../../messages.ts';
import { ContactReveal } from './ContactReveal.tsx';
import { DispatchActionModal, DispatchRows, RegisterDispatchModal } from './DispatchParts.tsx';
import { serviceMessages } from './messages.ts';
import { DISPATCH_REGISTRARS, minutesText, type DispatchView, type RecordContacts, type RecordDetail } from './model.ts';
import { RecordActionModal } from './RecordActions.tsx';
import { StatusTag, WarrantyTag } from './parts.tsx';

export function RecordDrawer({ id, onClose, onChanged }: { id: number | null; onClose: () => void; onChanged?: () => void }) {
  const m = useMessages(serviceMessages);
  const mm = m as Record<string, string>;
  const roles = useMessages(roleNames) as Record<string, string>;
  const { lang } = useLang();
  const { role } = useSignedIn();
  const [action, setAction] = useState<string | null>(null);
  const [dispatchAction, setDispatchAction] = useState<{ d: DispatchView; action: string } | null>(null);
  const [registering, setRegistering] = useState(false);
  const loaded = useLoad((signal) => (id === null ? Promise.resolve(null) : get<RecordDetail>(`/service/records/${id}`, undefined, signal)), [id]);
  const view = loaded.data ?? null;
  // the phones and addresses come masked; revealed (with a reason, audited) for the roles that need them
  const [revealed, setRevealed] = useState<{ id: number; contacts: RecordContacts } | null>(null);
  const contacts = view && revealed?.id === view.id ? revealed.contacts : null;
  const topRef = useRef<HTMLDivElement>(null);
  const [refocus, setRefocus] = useState(false);
  useEffect(() => {
    if (refocus && view && !loaded.loading) {
      topRef.current?.focus();
      setRefocus(false);
    }
  }, [refocus, view, loaded.loading]);

  const reloadAll = () => {
    setAction(null);
    setDispatchAction(null);
    setRegistering(false);
    setRefocus(true);
    loaded.reload();
    onChanged?.();
  };

  const printHref = id === null ? '' : withQuery(`/api/v1/service/records/${id}`, { format: 'print' });
  const r = view?.record;
  // the core's table offers the follow-up call in returned/archived; a finished task takes no more calls (S5.7)
  const followUpOver = view?.followUp?.status === 'done' || view?.followUp?.status === 'unreached';
  const actions = (view?.allowedActions ?? []).filter((a) => !(a === 'log_follow_up' && followUpOver));
  const hasOpenDispatch = view?.dispatches.some((d) => d.status === 'registered' || d.status === 'on_site') ?? false;
  const mayRegister =
    !!view &&
    DISPATCH_REGISTRARS.includes(role) &&
    !hasOpenDispatch &&
    !!r?.assignee &&
    ['assigned', 'quoted', 'repairing'].includes(view.status);

  const section = (title: string, children: ReactNode, testId?: string, extra?: ReactNode) => (
    <div data-testid={testId}>
      <Space style={{ width: '100%', justifyContent: 'space-between', alignItems: 'baseline' }} wrap>
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          {title}
        </Typography.Title>
        {extra}
      </Space>
      {children}
    </div>
  );

  return (
    <RecordDrawerFrame
      open={id !== null}
      onClose={onClose}
      width={736}
      title={id !== null ? fmt(m.recordTitle, { id }) : ''}
      loading={loaded.loading}
      error={loaded.error}
      ready={!!view && !!r && view.id === id}
      extra={
        id !== null ? (
          <Button href={printHref} target="_blank" rel="noopener" aria-label={fmt(m.printOf, { id })} data-testid="print-record">
            {m.print}
          </Button>
        ) : null
      }
    >
      {view && r && view.id === id && (
        <Space orientation="vertical" size="large" style={{ width: '100%' }} data-testid="record-detail">
          <Space wrap ref={topRef} tabIndex={-1} style={{ outline: 'none' }}>
            <StatusTag status={view.status} />
            {r.emergency && <Tag color="red">{m.emergencyBadge}</Tag>}
            {view.incomplete && (
              <Tag color="error" data-testid="incomplete-badge">
                {m.incompleteBadge}
              </Tag>
            )}
            <WarrantyTag warranty={r.warranty} />
            {r.billing && (
              <Tag color={r.billing === 'free' ? 'green' : 'blue'} data-testid="billing-tag">
                {mm[`billing_${r.billing}`]}
                {r.decision ? ` · ${m.sectionDecision}` : ''}
              </Tag>
            )}
            <Typography.Text type="secondary">{dateTime(r.call.at, lang)}</Typography.Text>
          </Space>
          {view.owner && (
            <Typography.Text data-testid="waiting-on">
              {fmt(m.waitingOn, {
                what: labelOf(view.owner.waitingFor, lang),
                who: view.owner.name ?? fmt(m.anyone, { role: roles[view.owner.role] ?? view.owner.role }),
              })}
            </Typography.Text>
          )}

          {view.incomplete && (
            <Alert
              type="error"
              showIcon
              title={m.incompleteTitle}
              data-testid="incomplete-alert"
              description={
                <Space orientation="vertical" size={2}>
                  <span data-testid="incomplete-missing">
                    {fmt(m.incompleteMissing, { items: paperworkGaps(r).map((g) => labelOf(g.label, lang)).join(lang === 'en' ? '; ' : '、') })}
                  </span>
                  {view.reminders.length > 0
                    ? view.reminders.map((rem) => (
                        <span key={rem.key}>
                          {labelOf(rem.message, lang)}{' '}
                          <Typography.Text type="secondary">
                            ({fmt(m.remind, { who: rem.remind.name ?? fmt(m.anyone, { role: roles[rem.remind.role] ?? rem.remind.role }) })})
                          </Typography.Text>
                        </span>
                      ))
                    : null}
                </Space>
              }
            />
          )}

          <div>
            <Typography.Title level={5} style={{ marginTop: 0 }}>
              {m.actions}
            </Typography.Title>
            {actions.length === 0 && !mayRegister ? (
              <Typography.Text type="secondary">{m.noActions}</Typography.Text>
            ) : (
              <Space wrap data-testid="record-actions">
                {actions.map((a, i) => (
                  <Button key={a} type={i === 0 && a !== 'cancel' ? 'primary' : 'default'} danger={a === 'cancel'} onClick={() => setAction(a)}>
                    {mm[`act_${a}`] ?? a}
                  </Button>
                ))}
                {mayRegister && <Button onClick={() => setRegistering(true)}>{m.registerDispatch}</Button>}
              </Space>
            )}
          </div>

          {section(
            m.sectionCall,
            <Descriptions
              bordered
              size="small"
              column={1}
              items={[
                { key: 'at', label: m.calledAt, children: dateTime(r.call.at, lang) },
                { key: 'by', label: m.receivedBy, children: `${r.call.receivedBy.name} · ${roles[r.call.receivedBy.role] ?? r.call.receivedBy.role}` },
                { key: 'caller', label: m.callerName, children: r.call.callerName ?? m.none },
                { key: 'phone', label: m.callerPhone, children: <span data-testid="caller-phone">{(contacts?.callerPhone ?? r.call.callerPhone) || m.none}</span> },
                { key: 'fault', label: m.fault, children: r.call.fault ?? m.none },
                ...(r.phoneSolution ? [{ key: 'sol', label: m.solution, children: r.phoneSolution.solution }] : []),
                ...(r.emergency ? [{ key: 'em', label: m.emergencyBadge, children: `${dateTime(r.emergency.startedAt, lang)}${r.emergency.note ? ` · ${r.emergency.note}` : ''}` }] : []),
              ]}
            />,
            'section-call',
            <ContactReveal<RecordContacts>
              url={`/service/records/${view.id}/reveal`}
              revealed={contacts !== null}
              onRevealed={(answer) => setRevealed({ id: view.id, contacts: answer })}
            />,
          )}

          {section(
            m.sectionProduct,
            r.product ? (
              <Space orientation="vertical" style={{ width: '100%' }}>
                <Descriptions
                  bordered
                  size="small"
                  column={1}
                  items={[
                    {
                      key: 'org',
                      label: m.organisation,
                      children: (
                        <span>
                          {r.product.organisation} · {r.product.contact} · <span data-testid="customer-phone">{contacts?.phone ?? r.product.phone}</span>
                        </span>
                      ),
                    },
                    { key: 'site', label: m.siteAddress, children: <span data-testid="site-address">{contacts?.address ?? r.product.siteAddress}</span> },
                    { key: 'product', label: m.product, children: r.product.product },
                    { key: 'serial', label: m.serialNo, children: r.product.serialNo },
                    { key: 'contract', label: m.contractNo, children: r.product.contractNo },
                    { key: 'market', label: m.market, children: labelOf(marketLabels[r.product.market], lang) },
                    ...(r.warranty
                      ? [
                          { key: 'period', label: m.warrantyPeriod, children: labelOf(periodLabel(r.warranty.period), lang) },
                          { key: 'span', label: `${m.warrantyStart} – ${m.warrantyEnd}`, children: `${r.warranty.start ?? m.none} – ${r.warranty.end ?? m.none}` },
                        ]
                      : []),
                    {
                      key: 'billing',
                      label: m.billing,
                      children: r.billing ? mm[`billing_${r.billing}`] : view.status === 'closed_on_phone' ? m.none : m.billingUndecided,
                    },
                  ]}
                />
                <WarrantyTag warranty={r.warranty} showReason />
              </Space>
            ) : (
              <Alert type="warning" title={m.coverageUnknown} />
            ),
            'section-product',
          )}

          {r.decision &&
            section(
              m.sectionDecision,
              <Alert
                type={r.decision.billing === 'free' ? 'success' : 'info'}
                title={<span data-testid="decision">{mm[`billing_${r.decision.billing}`]}</span>}
                description={
                  <>
                    {fmt(m.decidedBy, { name: r.decision.by.name, at: dateTime(r.decision.at, lang) })}
                    {r.decision.note ? ` · ${r.decision.note}` : ''}
                  </>
                }
              />,
              'section-decision',
            )}

          {r.assignee &&
            section(
              m.sectionAssignee,
              <Typography.Text data-testid="assignee">
                {r.assignee.name} · {mm[`unit_${r.assignee.unit}`]}
              </Typography.Text>,
            )}

          {r.quote &&
            section(
              m.sectionQuote,
              <Space orientation="vertical" style={{ width: '100%' }} data-testid="section-quote">
                <Descriptions
                  bordered
                  size="small"
                  column={1}
                  items={[
                    { key: 'f', label: m.findings, children: r.quote.findings },
                    { key: 's', label: m.feeStandard, children: r.quote.feeStandard },
                    ...(r.quote.note ? [{ key: 'n', label: m.note, children: r.quote.note }] : []),
                  ]}
                />
                <Table
                  size="small"
                  rowKey={(_, i) => String(i)}
                  pagination={false}
                  dataSource={r.quote.items}
                  columns={[
                    { title: m.feeDescription, dataIndex: 'description' },
                    { title: m.feeCode, dataIndex: 'standardCode', render: (c: string | null) => c ?? m.none },
                    { title: m.quantity, dataIndex: 'quantity', align: 'right' },
                    { title: m.unitPrice, dataIndex: 'unitPriceFen', align: 'right', render: (f: number) => yuan(f) },
                    { title: m.amount, dataIndex: 'amountFen', align: 'right', render: (f: number) => yuan(f) },
                  ]}
                  summary={() => (
                    <Table.Summary.Row>
                      <Table.Summary.Cell index={0} colSpan={4}>
                        {m.total}
                      </Table.Summary.Cell>
                      <Table.Summary.Cell index={1} align="right">
                        <strong data-testid="quote-total">{yuan(r.quote!.totalFen)}</strong>
                      </Table.Summary.Cell>
                    </Table.Summary.Row>
                  )}
                />
              </Space>,
            )}

          {r.customerDecision &&
            section(
              m.sectionCustomer,
              <Typography.Text>
                {r.customerDecision.accepted ? m.accepted : m.declined}
                {r.customerDecision.note ? ` · ${r.customerDecision.note}` : ''} · {dateTime(r.customerDecision.at, lang)}
              </Typography.Text>,
            )}

          {r.work &&
            section(
              m.sectionWork,
              <Descriptions
                bordered
                size="small"
                column={1}
                data-testid="section-work"
                items={[
                  { key: 'method', label: m.workMethod, children: mm[`method_${r.work.method}`] },
                  { key: 'done', label: m.workDone, children: r.work.workDone },
                  {
                    key: 'parts',
                    label: m.parts,
                    children: r.work.parts.length ? r.work.parts.map((p) => `${p.name}${p.model ? ` (${p.model})` : ''} ×${p.quantity}`).join('; ') : m.none,
                  },
                  { key: 'time', label: m.labour, children: minutesText(r.work.labourMinutes, lang) },
                  { key: 'fin', label: m.finishedAt, children: `${dateTime(r.work.finishedAt, lang)} · ${r.work.by.name}` },
                  ...(r.work.photos?.length
                    ? [{ key: 'photos', label: fmt(m.workPhotosShown, { n: r.work.photos.length }), children: <EvidenceList items={r.work.photos} compact /> }]
                    : []),
                ]}
              />,
            )}

          {(r.billing === 'paid' && (r.customerDecision?.accepted || r.payment || r.invoice)) &&
            section(
              m.sectionSettle,
              <Descriptions
                bordered
                size="small"
                column={1}
                data-testid="section-settle"
                items={[
                  {
                    key: 'pay',
                    label: m.payment,
                    children: r.payment
                      ? `${yuan(r.payment.amountFen)} · ${mm[`pay_${r.payment.method}`]} · ${r.payment.receivedOn}${r.payment.note ? ` · ${r.payment.note}` : ''}`
                      : m.notCollected,
                  },
                  {
                    key: 'inv',
                    label: m.invoice,
                    children: r.invoice ? `${r.invoice.number} · ${yuan(r.invoice.amountFen)} · ${r.invoice.issueDate}` : m.notInvoiced,
                  },
                ]}
              />,
            )}

          {(r.returnedAt || r.followUps.length > 0 || view.followUp) &&
            section(
              m.sectionFollowUps,
              <Space orientation="vertical" style={{ width: '100%' }} data-testid="section-follow-ups">
                {r.returnedAt && (
                  <Typography.Text>
                    {m.returnedAt}: {dateTime(r.returnedAt, lang)}
                    {r.archived ? ` · ${m.archivedAt}: ${dateTime(r.archived.at, lang)}` : ''}
                  </Typography.Text>
                )}
                {view.followUp && (
                  <Space>
                    <Tag color={view.followUp.status === 'due' ? (view.followUp.overdue ? 'error' : 'warning') : view.followUp.status === 'done' ? 'success' : 'default'}>
                      {mm[`followUpState_${view.followUp.status}`]}
                    </Tag>
                    {view.followUp.dueAt && <Typography.Text type="secondary">{fmt(m.followUpDue, { when: dateTime(view.followUp.dueAt, lang) })}</Typography.Text>}
                  </Space>
                )}
                {r.followUps.map((f, i) => (
                  <Typography.Text key={i}>
                    {dateTime(f.at, lang)} · {f.by.name} · {f.reached ? m.reached : m.notReached}
                    {f.satisfaction ? ` · ${m.satisfaction} ${f.satisfaction} (${labelOf(satisfactionLabels[f.satisfaction], lang)})` : ''}
                    {f.comments ? ` · ${f.comments}` : ''}
                  </Typography.Text>
                ))}
              </Space>,
            )}

          {section(
            m.sectionDispatches,
            view.dispatches.length ? (
              <DispatchRows dispatches={view.dispatches} onAction={(d, a) => setDispatchAction({ d, action: a })} compact />
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={m.noDispatches} />
            ),
            'section-dispatches',
          )}

          {section(
            m.history,
            <Timeline
              items={[...view.events].reverse().map((e) => ({
                key: `${e.subject}-${e.subjectId}-${e.version}`,
                content: (
                  <Space orientation="vertical" size={0}>
                    {e.subject === 'dispatch' ? (
                      <span>
                        <strong>
                          {fmt(m.dispatchId, { id: e.subjectId })} · {mm[`dact_${e.action}`] ?? mm[`act_${e.action}`] ?? e.action}
                        </strong>
                        {e.toStatus ? ` → ${mm[`dst_${e.toStatus}`] ?? e.toStatus}` : ''}
                      </span>
                    ) : (
                      <span>
                        <strong>{mm[`act_${e.action}`] ?? e.action}</strong>
                        {e.toStatus ? ` → ${mm[`st_${e.toStatus}`] ?? e.toStatus}` : ''}
                      </span>
                    )}
                    <Typography.Text type="secondary">
                      {dateTime(e.at, lang)} · {e.actorName ? `${e.actorName} · ` : ''}
                      {roles[e.actorRole] ?? e.actorRole}
                    </Typography.Text>
                  </Space>
                ),
              }))}
            />,
          )}

          <RecordActionModal view={view} action={action} onClose={() => setAction(null)} onDone={reloadAll} onConflict={reloadAll} />
          <DispatchActionModal target={dispatchAction} onClose={() => setDispatchAction(null)} onDone={reloadAll} />
          <RegisterDispatchModal open={registering} view={view} onClose={() => setRegistering(false)} onDone={reloadAll} />
        </Space>
      )}
    </RecordDrawerFrame>
  );
}
