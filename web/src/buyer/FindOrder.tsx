/** The portal's door: the order number and the phone number on the order open a session for that order only (POST /api/v1/buyer/session, throttled). */
import { useState } from 'react';
import { ApiError, post } from '../shared/api.ts';
import { errorText } from '../shared/errors.ts';
import { useLang, useMessages } from '../shared/i18n.tsx';
import type { Session } from '../shared/session.tsx';
import { buyerMessages } from './messages.ts';
import { Button, Notice, PageTitle, TextField } from './ui.tsx';

const ORDER_NO = /^[A-Za-z0-9_-]{1,40}$/;

export function FindOrder({ note, onFound }: { note?: string | undefined; onFound: (session: Session) => void }) {
  const t = useMessages(buyerMessages);
  const { lang } = useLang();
  const [orderNo, setOrderNo] = useState(() => new URLSearchParams(location.search).get('order') ?? '');
  const [phone, setPhone] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const cleanOrderNo = orderNo.replace(/\s+/g, '');
  const phoneDigits = phone.replace(/\D/g, '');
  const orderNoError = ORDER_NO.test(cleanOrderNo) ? undefined : t.orderNoInvalid;
  const phoneError = phoneDigits.length >= 6 && phone.trim().length <= 20 ? undefined : t.phoneInvalid;

  const submit = async () => {
    setTried(true);
    setError(null);
    if (orderNoError || phoneError) return;
    setBusy(true);
    try {
      onFound(await post<Session>('/buyer/session', { orderNo: cleanOrderNo, phone: phone.trim() }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="b-page"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <PageTitle>{t.findTitle}</PageTitle>
      <p className="b-intro">{t.findIntro}</p>
      {note && <Notice level="info">{note}</Notice>}
      <section className="b-card">
        <TextField
          label={t.orderNo}
          hint={t.orderNoHint}
          error={tried ? orderNoError : undefined}
          inputProps={{ name: 'orderNo', value: orderNo, autoComplete: 'off', autoCapitalize: 'off', spellCheck: false, maxLength: 60, onChange: (e) => setOrderNo(e.target.value) }}
        />
        <TextField
          label={t.phone}
          hint={t.phoneHint}
          error={tried ? phoneError : undefined}
          inputProps={{ name: 'phone', type: 'tel', inputMode: 'tel', autoComplete: 'tel', value: phone, maxLength: 20, onChange: (e) => setPhone(e.target.value) }}
        />
        {error !== null && (
          <Notice level="error" testId="find-error">
            {/* SIGN_IN_FAILED is worded for staff (username/password): the buyer's own words here */}
            {error instanceof ApiError && error.code === 'SIGN_IN_FAILED' ? t.findFailed : errorText(error, lang)}
          </Notice>
        )}
        <Button kind="primary" type="submit" busy={busy} className="b-wide">
          {busy ? t.finding : t.find}
        </Button>
      </section>
    </form>
  );
}
