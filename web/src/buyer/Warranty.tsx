/**
 * A phone's after-sales request in the buyer portal (S4.6, S4.3, S4.5),
 * loaded only when opened (#/warranty/<device id>):
 *   1. the guided path (POST /warranty/guide): what is wrong → the card's
 *      self-fixes (factory reset for a freeze, charger/cable check, battery
 *      activation) → fixed? done : the local service centre for the buyer's
 *      city and brand → else send the phone back for our test;
 *   2. sending back: the testing terms (S4.3, word for word) to read and
 *      accept, the address, what to put in the parcel (S4.4); the send-back is
 *      opened (POST /send-backs) and the terms accepted (accept_terms);
 *   3. its status, the decision with its clause, and for an exchange why the
 *      box's MEID differs from the new host's (S4.5).
 * Issue 13: the date the periods count from (the invoice, the purchase, or
 * an exchange), the repairs so far, the day the fault was reported, the
 * refund a return opened (or the platform's to apply for), and the postage
 * each side bears in money.
 */
import './warranty.css';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { ApiError, get, newIdempotencyKey, post } from '../shared/api.ts';
import { errorText } from '../shared/errors.ts';
import { dateTime, yuan } from '../shared/format.ts';
import { fmt, useLang, useMessages } from '../shared/i18n.tsx';
import { useLoad } from '../shared/use-api.ts';
import { cardHref, sendBackFlow, type DeviceDetail, type GuidedStep, type SendBackDetail, type SendBackView } from '../shared/warranty-types.ts';
import { Button, Choice, Notice, PageTitle, TextField } from './ui.tsx';
import { warrantyBuyerMessages } from './warranty-messages.ts';

type Answers = {
  symptom?: string;
  selfFix?: 'fixed' | 'not_fixed';
  localCentre?: 'will_visit' | 'cannot_visit';
};

type T = { [K in keyof (typeof warrantyBuyerMessages)['zh-CN']]: string };

const openStatuses = ['requested', 'terms_accepted', 'received', 'tested', 'reported', 'decided', 'shipped_back'];
/** The calendar date in Shanghai (UTC+8 all year) of an instant: the day the exchanged host's periods start. */
function shanghaiDay(at: string): string {
  return new Date(Date.parse(at) + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** The accessories 三包 covers (S4.2), the ones a buyer can send back on their own. */
const coveredAccessories = ['battery', 'charger', 'wired_earphones', 'bluetooth_headset', 'memory_card'];

function Loading() {
  const t = useMessages(warrantyBuyerMessages);
  return (
    <p className="b-loading" role="status">
      <span className="b-spinner" aria-hidden="true" /> {t.loading}
    </p>
  );
}

export default function WarrantyRequest({ deviceId }: { deviceId: number }) {
  const t = useMessages(warrantyBuyerMessages);
  const { lang } = useLang();
  const device = useLoad((signal) => get<DeviceDetail>(`/devices/${deviceId}`, undefined, signal), [deviceId]);
  // the send-back this page follows: the open one, or the one just opened
  const [followId, setFollowId] = useState<number | null>(null);
  const [sendInfo, setSendInfo] = useState<GuidedStep | null>(null);
  const [startOver, setStartOver] = useState(false);

  if (device.error && !device.data)
    return (
      <div className="b-page">
        <Notice level="error">{errorText(device.error, lang)}</Notice>
        <Button onClick={device.reload}>{t.retry}</Button>
      </div>
    );
  if (!device.data) return <Loading />;
  const d = device.data;
  const open = [...d.sendBacks].filter((s) => openStatuses.includes(s.status)).sort((a, b) => b.id - a.id)[0];
  const shownId = followId ?? (startOver ? null : (open?.id ?? null));

  return (
    <div className="b-page w-page">
      <PageTitle>{t.title}</PageTitle>
      <section className="b-card" aria-labelledby="w-device">
        <h2 id="w-device">
          {d.brand} {d.model}
        </h2>
        <dl className="b-facts">
          <div className="b-row">
            <dt>{d.idKind === 'imei' ? 'IMEI' : 'MEID'}</dt>
            <dd className="w-mono">{d.deviceId}</dd>
          </div>
          <div className="b-row">
            <dt>{t.purchased}</dt>
            <dd>{d.purchaseDate}</dd>
          </div>
          {d.invoiceDate ? (
            <div className="b-row">
              <dt>{t.invoiced}</dt>
              <dd>{d.invoiceDate}</dd>
            </div>
          ) : null}
          <div className="b-row" data-testid="buyer-periods-from">
            <dt>{t.periodsFrom}</dt>
            <dd>
              {d.hostPeriodsFrom
                ? fmt(t.periodsFromExchange, { date: d.hostPeriodsFrom })
                : d.invoiceDate
                  ? fmt(t.periodsFromInvoice, { date: d.invoiceDate })
                  : fmt(t.periodsFromPurchase, { date: d.purchaseDate })}
            </dd>
          </div>
          {(d.repairs ?? []).length > 0 ? (
            <div className="b-row">
              <dt>{t.repairsDone}</dt>
              <dd>{fmt(t.repairsDoneCount, { n: d.repairs.length })}</dd>
            </div>
          ) : null}
        </dl>
        <a className="b-link" href={cardHref(d.id)} target="_blank" rel="noopener" data-testid="buyer-card-link">
          {t.viewCard} ›
        </a>
      </section>
      {shownId !== null ? (
        <SendBackStatus
          key={shownId}
          id={shownId}
          device={d}
          sendInfo={sendInfo}
          onNew={() => {
            setFollowId(null);
            setStartOver(true);
            device.reload();
          }}
        />
      ) : (
        <Guide
          device={d}
          onOpened={(id, step) => {
            setSendInfo(step);
            setFollowId(id);
            device.reload();
          }}
        />
      )}
      {d.sendBacks.length > 0 && shownId === null ? <PastSendBacks device={d} t={t} onShow={(id) => setFollowId(id)} /> : null}
    </div>
  );
}

function PastSendBacks({ device, t, onShow }: { device: DeviceDetail; t: T; onShow: (id: number) => void }) {
  return (
    <section className="b-card" aria-labelledby="w-past">
      <h2 id="w-past">{t.pastTitle}</h2>
      <ul className="b-refunds">
        {device.sendBacks.map((s) => (
          <li key={s.id}>
            <button type="button" className="b-refund-link w-past" onClick={() => onShow(s.id)}>
              <span className="b-refund-top">
                <strong>{t[`status_${s.status}`]}</strong>
                <span>#{s.id}</span>
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** S4.6: the steps of the ordinary case, asked one at a time. */
function Guide({ device, onOpened }: { device: DeviceDetail; onOpened: (id: number, step: GuidedStep) => void }) {
  const t = useMessages(warrantyBuyerMessages);
  const { lang } = useLang();
  const en = lang === 'en';
  const [answers, setAnswers] = useState<Answers>({});
  const step = useLoad(
    () => post<GuidedStep>('/warranty/guide', { deviceId: device.id, answers }),
    [answers, device.id],
  );
  const back = () =>
    setAnswers((a) => {
      if (a.localCentre) return { symptom: a.symptom, selfFix: a.selfFix };
      if (a.selfFix) return { symptom: a.symptom };
      return {};
    });
  const s = step.data;
  const prompt = s ? (en ? s.promptEn : s.promptZh) : '';
  const backButton =
    answers.symptom !== undefined ? (
      <Button kind="link" onClick={back}>
        ‹ {t.previousStep}
      </Button>
    ) : null;

  if (step.error && !s)
    return (
      <div>
        <Notice level="error">{errorText(step.error, lang)}</Notice>
        <Button onClick={step.reload}>{t.retry}</Button>
      </div>
    );
  if (!s || step.loading) return <Loading />;

  switch (s.step) {
    case 'ask_fault':
      return (
        <section className="b-card" data-testid="guide-step" data-step={s.step}>
          <Choice
            legend={prompt}
            name="symptom"
            value={answers.symptom}
            testId="guide-symptoms"
            options={(s.choices ?? []).map((c) => ({ value: c.id, label: en ? c.en : c.zh }))}
            onChange={(symptom) => setAnswers({ symptom })}
          />
        </section>
      );
    case 'offer_self_fix':
      return (
        <section className="b-card" data-testid="guide-step" data-step={s.step}>
          <h2>{t.selfFixTitle}</h2>
          <p className="b-hint">{t.selfFixIntro}</p>
          <ol className="w-fixes">
            {(s.selfFixes ?? []).map((f) => (
              <li key={f.id}>{en ? f.en : f.zh}</li>
            ))}
          </ol>
          <p className="b-step">{t.selfFixAsk}</p>
          <div className="w-choices">
            <Button kind="primary" onClick={() => setAnswers({ ...answers, selfFix: 'fixed' })}>
              {t.fixed}
            </Button>
            <Button onClick={() => setAnswers({ ...answers, selfFix: 'not_fixed' })}>{t.notFixed}</Button>
          </div>
          {backButton}
        </section>
      );
    case 'resolved':
      return (
        <section className="b-card" data-testid="guide-step" data-step={s.step}>
          <Notice level="success">{prompt}</Notice>
          <a className="b-btn b-btn-default b-wide" href="#/">
            {t.backToOrder}
          </a>
          {backButton}
        </section>
      );
    case 'point_to_local_centre':
    case 'visit_local_centre':
      return (
        <section className="b-card" data-testid="guide-step" data-step={s.step}>
          <h2>{t.localTitle}</h2>
          <p>{prompt}</p>
          <ul className="w-points">
            {(s.points ?? []).map((p) => (
              <li key={p.id}>
                <strong>{p.name}</strong>
                <div>{p.address}</div>
                {p.phone ? (
                  <div>
                    <a href={`tel:${p.phone}`}>{p.phone}</a>
                  </div>
                ) : null}
                {p.hours ? <div className="b-hint">{p.hours}</div> : null}
              </li>
            ))}
          </ul>
          {s.step === 'point_to_local_centre' ? (
            <div className="w-choices">
              <Button kind="primary" onClick={() => setAnswers({ ...answers, localCentre: 'will_visit' })}>
                {t.willVisit}
              </Button>
              <Button onClick={() => setAnswers({ ...answers, localCentre: 'cannot_visit' })}>{t.cannotVisit}</Button>
            </div>
          ) : (
            <a className="b-btn b-btn-default b-wide" href="#/">
              {t.backToOrder}
            </a>
          )}
          {backButton}
        </section>
      );
    case 'send_back':
      return <SendBackForm device={device} step={s} onOpened={onOpened} back={backButton} />;
  }
}

/** What to send and where (S4.4, S4.1's return address), shared by the form and the status. */
function SendInstructions({ step }: { step: GuidedStep }) {
  const t = useMessages(warrantyBuyerMessages);
  const { lang } = useLang();
  const contact = step.returnContact;
  return (
    <>
      {contact ? (
        <div className="w-address" data-testid="return-address">
          <div className="b-kicker">{t.returnAddress}</div>
          <p className="b-address">{contact.address}</p>
          <div>
            {t.consignee}: {contact.consignee}
            {contact.phone ? ` · ${contact.phone}` : ''}
          </div>
          {contact.hotline ? (
            <div>
              {t.hotline}: <a href={`tel:${contact.hotline}`}>{contact.hotline}</a>
            </div>
          ) : null}
        </div>
      ) : null}
      {step.mustSend?.length ? (
        <>
          <div className="b-kicker">{t.mustSend}</div>
          <ul className="w-list">
            {step.mustSend.map((i) => (
              <li key={i.zh}>{lang === 'en' ? i.en : i.zh}</li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}

/** The testing terms of S4.3, as the shop wrote them (Chinese), with an English summary for English readers. */
function Terms({ text, id }: { text: string; id?: string }) {
  const t = useMessages(warrantyBuyerMessages);
  const { lang } = useLang();
  return (
    <div className="w-terms" id={id} data-testid="testing-terms">
      <h3>{t.termsTitle}</h3>
      <p lang="zh-CN">{text}</p>
      {lang === 'en' ? <p className="b-hint">{t.termsSummary}</p> : null}
    </div>
  );
}

function SendBackForm({ device, step, onOpened, back }: { device: DeviceDetail; step: GuidedStep; onOpened: (id: number, step: GuidedStep) => void; back: ReactNode }) {
  const t = useMessages(warrantyBuyerMessages);
  const { lang } = useLang();
  const en = lang === 'en';
  const [part, setPart] = useState('host');
  const [fault, setFault] = useState('');
  const [agreed, setAgreed] = useState(false);
  const [errors, setErrors] = useState<{ fault?: string; agreed?: string }>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [key] = useState(newIdempotencyKey);
  const parts = ['host', ...device.accessories.filter((a) => a.origin === 'original' && coveredAccessories.includes(a.kind)).map((a) => a.kind)];

  const submit = async () => {
    const length = [...fault.trim()].length;
    const problems = {
      ...(length < 2 || length > 500 ? { fault: t.faultRequired } : {}),
      ...(!agreed ? { agreed: t.mustAgree } : {}),
    };
    setErrors(problems);
    if (Object.keys(problems).length) return;
    setBusy(true);
    setFailure(null);
    try {
      const origin = part === 'host' ? 'original' : (device.accessories.find((a) => a.kind === part)?.origin ?? 'original');
      const opened = await post<SendBackView>('/send-backs', { deviceId: device.id, item: { part, origin }, faultDescription: fault.trim() }, key);
      // S4.3: the terms shown are accepted at once; if that fails the status page asks again
      try {
        await post(`/send-backs/${opened.id}/accept_terms`, { version: opened.version, policyVersion: opened.sendBack.policy.version }, `${key}-terms`);
      } catch (err) {
        console.warn(err);
      }
      onOpened(opened.id, step);
    } catch (err) {
      setFailure(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="b-card" data-testid="guide-step" data-step="send_back">
      <h2>{t.sendBackTitle}</h2>
      <p>{en ? step.promptEn : step.promptZh}</p>
      <SendInstructions step={step} />
      {parts.length > 1 ? (
        <Choice legend={t.whichItem} name="part" value={part} options={parts.map((p) => ({ value: p, label: t[`part_${p}` as 'part_host'] ?? p }))} onChange={setPart} />
      ) : null}
      <TextField
        label={t.faultLabel}
        hint={t.faultHint}
        error={errors.fault}
        multiline
        textareaProps={{ value: fault, maxLength: 500, onChange: (e) => setFault(e.target.value), rows: 3 }}
      />
      {step.terms ? <Terms text={step.terms.textZh} id="w-terms" /> : null}
      <label className={`b-check${errors.agreed ? ' has-error' : ''}`}>
        <input
          type="checkbox"
          checked={agreed}
          onChange={(e) => {
            setAgreed(e.target.checked);
            if (e.target.checked) setErrors((x) => ({ ...x, agreed: undefined }));
          }}
          aria-describedby="w-terms"
          aria-invalid={!!errors.agreed || undefined}
          data-testid="accept-terms"
        />
        <span>
          {t.agree}
          {errors.agreed ? <span className="b-error w-block">{errors.agreed}</span> : null}
        </span>
      </label>
      {failure ? <Notice level="error">{failure}</Notice> : null}
      <div className="w-choices">
        <Button kind="primary" busy={busy} onClick={() => void submit()}>
          {t.submitSendBack}
        </Button>
      </div>
      {back}
    </section>
  );
}

/** One send-back as the buyer follows it. */
function SendBackStatus({ id, device, sendInfo, onNew }: { id: number; device: DeviceDetail; sendInfo: GuidedStep | null; onNew: () => void }) {
  const t = useMessages(warrantyBuyerMessages);
  const { lang } = useLang();
  const en = lang === 'en';
  const loaded = useLoad((signal) => get<SendBackDetail>(`/send-backs/${id}`, undefined, signal), [id]);
  const needsInfo = !sendInfo && loaded.data && ['requested', 'terms_accepted'].includes(loaded.data.status);
  // the address and the list of what to send, when this page did not just open it
  const info = useLoad(
    () =>
      needsInfo
        ? post<GuidedStep>('/warranty/guide', { deviceId: device.id, answers: { symptom: 'other', localCentre: 'cannot_visit' } })
        : Promise.resolve(null),
    [needsInfo, device.id],
  );
  const sendStep = sendInfo ?? info.data ?? null;
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [agreed, setAgreed] = useState(false);
  const [cancelReason, setCancelReason] = useState('');
  const [cancelError, setCancelError] = useState<string | undefined>();
  const { reload } = loaded;

  const act = useCallback(
    async (action: string, body: Record<string, unknown>) => {
      if (!loaded.data) return;
      setBusy(true);
      setFailure(null);
      try {
        await post(`/send-backs/${id}/${action}`, { ...body, version: loaded.data.version }, newIdempotencyKey());
        reload();
      } catch (err) {
        setFailure(errorText(err, lang));
        if (err instanceof ApiError && err.code === 'VERSION_CONFLICT') reload();
      } finally {
        setBusy(false);
      }
    },
    [id, lang, loaded.data, reload],
  );

  // a buyer's send-back changes on the scale of days: refresh when the page comes back into view
  useEffect(() => {
    const onVisible = () => document.visibilityState === 'visible' && reload();
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [reload]);

  if (loaded.error && !loaded.data)
    return (
      <div>
        <Notice level="error">{errorText(loaded.error, lang)}</Notice>
        <Button onClick={reload}>{t.retry}</Button>
      </div>
    );
  if (!loaded.data) return <Loading />;
  const v = loaded.data;
  const sb = v.sendBack;
  const current = sendBackFlow.indexOf(v.status);
  const decision = sb.decision;
  const exchange = sb.shipment?.exchange ?? null;

  return (
    <>
      <section className="b-card b-status" aria-labelledby="w-status" data-testid="send-back-status">
        <div className="b-kicker">{fmt(t.sendBackNo, { id: v.id })}</div>
        <h2 id="w-status" data-testid="send-back-status-title">
          {t[`status_${v.status}`]}
        </h2>
        <p>{t[`next_${v.status}`]}</p>
        {v.status !== 'cancelled' ? (
          <ol className="w-steps" aria-label={t.progress}>
            {sendBackFlow.map((s, i) => (
              <li key={s} className={i < current ? 'done' : i === current ? 'now' : ''} aria-current={i === current ? 'step' : undefined}>
                {t[`step_${s}` as 'step_requested']}
              </li>
            ))}
          </ol>
        ) : null}
        {sb.terms.accepted ? (
          <p className="b-hint" data-testid="terms-accepted">
            {fmt(t.termsAcceptedAt, { at: dateTime(sb.terms.accepted.at, lang) })}
          </p>
        ) : null}
        {sb.reported ? (
          <p className="b-hint" data-testid="buyer-reported-on">
            {fmt(t.reportedOn, { date: sb.reported.on })}
          </p>
        ) : null}
        <button type="button" className="b-btn b-btn-link" onClick={reload}>
          {t.refresh}
        </button>
      </section>

      {v.allowedActions.includes('accept_terms') ? (
        <section className="b-card">
          <Terms text={sb.terms.textZh} id="w-terms-again" />
          <label className="b-check">
            <input type="checkbox" checked={agreed} onChange={(e) => setAgreed(e.target.checked)} aria-describedby="w-terms-again" />
            <span>{t.agree}</span>
          </label>
          <Button kind="primary" className="b-wide" busy={busy} disabled={!agreed} onClick={() => void act('accept_terms', { policyVersion: sb.policy.version })}>
            {t.acceptTerms}
          </Button>
        </section>
      ) : null}

      {['requested', 'terms_accepted'].includes(v.status) && sendStep ? (
        <section className="b-card">
          <h2>{t.howToSend}</h2>
          <SendInstructions step={sendStep} />
          <p className="b-hint">{t.noteInParcel}</p>
        </section>
      ) : null}

      {sb.report ? (
        <section className="b-card" aria-labelledby="w-report">
          <h2 id="w-report">{t.reportTitle}</h2>
          <p>
            <strong>{t[`result_${sb.report.result}`]}</strong>
          </p>
          <p className="w-pre">{sb.report.summary}</p>
        </section>
      ) : null}

      {decision ? (
        <section className="b-card" aria-labelledby="w-decision" data-testid="buyer-decision">
          <h2 id="w-decision">{t.decisionTitle}</h2>
          <p className="w-remedy">{t[`remedy_${sb.chosenRemedy ?? decision.remedy}`]}</p>
          <div className="w-clause">
            <strong>{en ? decision.clause.titleEn : decision.clause.titleZh}</strong> <span className="b-hint">({decision.clause.rule})</span>
            <p lang="zh-CN">{decision.clause.textZh}</p>
          </div>
          <p>{en ? decision.explanation.en : decision.explanation.zh}</p>
        </section>
      ) : null}

      {sb.refund ? (
        <section className="b-card" aria-labelledby="w-refund" data-testid="buyer-send-back-refund">
          <h2 id="w-refund">{t.refundTitle}</h2>
          <p>
            {sb.refund.state === 'opened'
              ? fmt(t.refund_opened, { amount: yuan(sb.refund.amountFen) })
              : sb.refund.state === 'attached'
                ? fmt(t.refund_attached, { refund: yuan(sb.refund.refundAmountFen) })
                : sb.refund.state === 'platform'
                  ? fmt(sb.refund.refundId !== null ? t.refund_platform_linked : t.refund_platform, {
                      platform: sb.refund.platform ? t[`platform_${sb.refund.platform}`] : '',
                      amount: yuan(sb.refund.amountFen),
                    })
                  : t.refund_blocked}
          </p>
          {sb.refund.refundId !== null && sb.refund.state !== 'platform' ? (
            <a className="b-link" href={`#/refund/${sb.refund.refundId}`} data-testid="buyer-send-back-refund-link">
              {t.viewRefund} ›
            </a>
          ) : null}
        </section>
      ) : null}

      {sb.postage && sb.postage.legs.length > 0 ? (
        <section className="b-card" aria-labelledby="w-postage" data-testid="buyer-postage">
          <h2 id="w-postage">{t.postageTitle}</h2>
          <ul>
            {sb.postage.legs.map((l) => (
              <li key={l.leg}>{fmt(t.postageLeg, { leg: t[`leg_${l.leg}`], charged: yuan(l.chargedFen), buyer: yuan(l.buyerShareFen) })}</li>
            ))}
          </ul>
          <p>
            <strong>
              {sb.postage.shopOwesBuyerFen === 0
                ? t.postageEven
                : fmt(sb.postage.shopOwesBuyerFen > 0 ? t.postageShopOwes : t.postageBuyerOwes, { amount: yuan(Math.abs(sb.postage.shopOwesBuyerFen)) })}
            </strong>
            {sb.postage.shopOwesBuyerFen !== 0 ? (
              <span className="b-hint">
                {lang === 'en' ? ' · ' : '，'}
                {sb.postage.settled ? (sb.postage.settled.method === 'waived' ? t.postageWaived : t.postageSettled) : t.postageUnsettled}
              </span>
            ) : null}
          </p>
        </section>
      ) : null}

      {sb.shipment ? (
        <section className="b-card" aria-labelledby="w-shipment">
          <h2 id="w-shipment">{t.shipmentTitle}</h2>
          <p>
            {sb.shipment.courier} <span className="w-mono">{sb.shipment.trackingNo}</span>
          </p>
          {exchange ? (
            <div data-testid="meid-notice">
              <dl className="b-facts">
                <div className="b-row">
                  <dt>{fmt(t.oldHost, { kind: exchange.old.kind.toUpperCase() })}</dt>
                  <dd className="w-mono">{exchange.old.value}</dd>
                </div>
                <div className="b-row">
                  <dt>{fmt(t.newHost, { kind: exchange.new.kind.toUpperCase() })}</dt>
                  <dd className="w-mono">{exchange.new.value}</dd>
                </div>
              </dl>
              <Notice level="info">
                <p>
                  <strong>{t.boxNoticeTitle}</strong>
                </p>
                <p>{fmt(t.boxNotice, { kind: exchange.old.kind.toUpperCase(), old: exchange.old.value, new: exchange.new.value })}</p>
                <p lang="zh-CN" className="b-hint">
                  {exchange.boxNoticeZh}
                </p>
                <p data-testid="buyer-new-host-periods">{fmt(t.newHostPeriods, { date: shanghaiDay(sb.shipment.at) })}</p>
              </Notice>
            </div>
          ) : null}
        </section>
      ) : null}

      {failure ? <Notice level="error">{failure}</Notice> : null}

      {v.allowedActions.includes('cancel') ? (
        <details className="b-card w-cancel">
          <summary>{t.cancelOpen}</summary>
          <TextField
            label={t.cancelReason}
            error={cancelError}
            inputProps={{ value: cancelReason, maxLength: 200, onChange: (e) => setCancelReason(e.target.value) }}
          />
          <Button
            kind="danger"
            className="b-wide"
            busy={busy}
            onClick={() => {
              const n = [...cancelReason.trim()].length;
              if (n < 2) return setCancelError(t.cancelReasonRequired);
              setCancelError(undefined);
              void act('cancel', { reason: cancelReason.trim() });
            }}
          >
            {t.cancelSendBack}
          </Button>
        </details>
      ) : null}

      {['closed', 'cancelled'].includes(v.status) ? (
        <Button className="b-wide" onClick={onNew}>
          {t.newRequest}
        </Button>
      ) : null}
    </>
  );
}
