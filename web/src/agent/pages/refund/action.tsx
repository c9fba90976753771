/**
 * Sending an action on the refund: always at the version the page shows
 * (409 VERSION_CONFLICT reloads it and says so), one idempotency key per
 * attempt, and the SOP's guards shown in words — with the supervisor's
 * override (a written reason, ≥5 characters) offered right there.
 */
import { Alert, Button, Form, Input, Typography } from 'antd';
import { useCallback, useRef, useState } from 'react';
import { ApiError, newIdempotencyKey, post } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { useLang, useMessages } from '../../../shared/i18n.tsx';
import { detailMessages, guardMessages, guardShortMessages, missingInEnglish } from './messages.ts';
import { textRule } from './rules.ts';

export interface GuardDetail {
  code: string;
  rule?: string;
  message?: string;
  missing?: string[];
}

/** A guard of the SOP stopped the action (GUARD_OVERRIDE_REFUSED is not a guard: it says who may override). */
export function isGuardError(err: unknown): err is ApiError {
  return err instanceof ApiError && err.code.startsWith('GUARD_') && err.code !== 'GUARD_OVERRIDE_REFUSED';
}

export function guardsOf(err: ApiError): GuardDetail[] {
  const list = err.details.guards;
  if (Array.isArray(list) && list.length > 0) return list as GuardDetail[];
  return [{ code: err.code }];
}

interface Options {
  refundId: number;
  /** the version the page shows now (read at the moment of sending) */
  version: () => number;
  /** after success */
  onDone: () => void;
  /** after 409 VERSION_CONFLICT: reload the refund */
  onStale: () => void;
}

/** Posts /refunds/{id}/{path} with the refund's version; remembers the last body so a supervisor can resend it with an override. */
export function useRefundAction(path: string, options: Options) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const lastBody = useRef<Record<string, unknown> | null>(null);
  const optionsRef = useRef(options);
  optionsRef.current = options;

  const send = useCallback(
    async (body: Record<string, unknown>): Promise<boolean> => {
      const o = optionsRef.current;
      setBusy(true);
      setError(null);
      lastBody.current = body;
      try {
        // a new key per attempt: the override resends a different body
        await post(`/refunds/${o.refundId}/${path}`, { ...body, version: o.version() }, newIdempotencyKey());
        lastBody.current = null;
        o.onDone();
        return true;
      } catch (err) {
        setError(err);
        if (err instanceof ApiError && err.code === 'VERSION_CONFLICT') o.onStale();
        return false;
      } finally {
        setBusy(false);
      }
    },
    [path],
  );

  const override = useCallback(
    (reason: string) => send({ ...(lastBody.current ?? {}), override: { reason } }),
    [send],
  );
  const reset = useCallback(() => {
    setError(null);
    lastBody.current = null;
  }, []);

  return { send, override, error, busy, reset };
}

/** The server's answer in words; for a guard, each guard explained and what is missing, and the supervisor's override. */
export function ActionError({
  error,
  supervisor,
  busy,
  onOverride,
}: {
  error: unknown;
  supervisor: boolean;
  busy: boolean;
  onOverride: (reason: string) => void;
}) {
  const m = useMessages(detailMessages);
  const g = useMessages(guardMessages);
  const gs = useMessages(guardShortMessages);
  const { lang } = useLang();
  if (!error) return null;
  if (error instanceof ApiError && error.code === 'VERSION_CONFLICT') {
    return <Alert role="alert" type="warning" showIcon title={m.versionReloaded} style={{ marginBottom: 12 }} />;
  }
  if (!isGuardError(error)) {
    return <Alert role="alert" type="error" showIcon title={errorText(error, lang)} style={{ marginBottom: 12 }} />;
  }
  const guards = guardsOf(error);
  return (
    <div data-testid="guard-error">
      <Alert
        role="alert"
        type="error"
        showIcon
        style={{ marginBottom: 12 }}
        title={m.guardTitle}
        description={
          <div>
            <ul style={{ paddingInlineStart: 18, margin: '4px 0' }}>
              {guards.map((guard) => {
                // the rule in the shop's words, without its code: one click away, below the short list
                const rule = ((g as Record<string, string>)[guard.code] ?? errorText(new ApiError(409, guard.code, guard.message ?? ''), lang)).replace(/^S\d+(\.\d+)? · /, '');
                const short = (gs as Record<string, string>)[guard.code];
                const missing = (guard.missing ?? []).map((x) => (lang === 'en' ? (missingInEnglish[x] ?? x) : x));
                return (
                  <li key={guard.code} data-guard={guard.code}>
                    <Typography.Text strong>{short ?? rule}</Typography.Text>
                    {missing.length > 0 && (
                      <div>
                        <Typography.Text type="secondary">{m.guardMissing}</Typography.Text>
                        <ul style={{ paddingInlineStart: 18, margin: '2px 0' }} data-testid="guard-missing">
                          {missing.map((x) => (
                            <li key={x}>{x}</li>
                          ))}
                        </ul>
                      </div>
                    )}
                    {short && missing.length === 0 && <div>{rule}</div>}
                    {short && missing.length > 0 && (
                      <details>
                        <summary style={{ cursor: 'pointer' }}>
                          <Typography.Text type="secondary">{m.guardWhy}</Typography.Text>
                        </summary>
                        {rule}
                      </details>
                    )}
                  </li>
                );
              })}
            </ul>
            {supervisor ? <OverrideForm busy={busy} onOverride={onOverride} /> : <Typography.Text>{m.guardAskSupervisor}</Typography.Text>}
          </div>
        }
      />
    </div>
  );
}

function OverrideForm({ busy, onOverride }: { busy: boolean; onOverride: (reason: string) => void }) {
  const m = useMessages(detailMessages);
  const [form] = Form.useForm<{ reason: string }>();
  return (
    <Form form={form} layout="vertical" onFinish={(v) => onOverride(v.reason.trim())} style={{ marginTop: 8 }} aria-label={m.overrideTitle}>
      <Form.Item
        label={m.overrideReason}
        name="reason"
        required
        rules={[textRule(5, 500, m.overrideReasonRequired)]}
      >
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
      <Button danger htmlType="submit" loading={busy}>
        {m.overrideSubmit}
      </Button>
    </Form>
  );
}
