/**
 * The banner at the top: which deadline runs (deadlineLabels), when it ends,
 * and the time left counting down every second from the server's timeLeftMs
 * (minus the time since the answer: the browser's clock may differ), coloured
 * by urgency; red once overdue; the deadline's problem (CALENDAR_OUT_OF_RANGE…)
 * as a warning. A platform refund's deadline is the platform's timeout
 * (平台超时): the platform acts on it, not shouhou.
 */
import { Alert, Typography } from 'antd';
import { deadlineLabels } from '../../../../../src/contract/labels.ts';
import { deadlineText, timeLeft, urgency } from '../../../shared/format.ts';
import { labelOf, useLang, useMessages } from '../../../shared/i18n.tsx';
import { useNow } from '../../../shared/ticker.ts';
import type { Deadline } from '../../../shared/types.ts';
import { detailMessages, platformRefundMessages } from './messages.ts';

const alertType = { none: 'info', ok: 'success', warning: 'warning', danger: 'error' } as const;
const colours = { none: 'inherit', ok: '#389e0d', warning: '#d46b08', danger: '#cf1322' } as const;

export function DeadlineBanner({ deadline, fetchedAt, platform = false }: { deadline: Deadline | null; fetchedAt: number; platform?: boolean }) {
  const m = useMessages(detailMessages);
  const p = useMessages(platformRefundMessages);
  const { lang } = useLang();
  if (!deadline) {
    return (
      <div data-testid="deadline-banner" data-urgency="none" style={{ marginBottom: 12 }}>
        <Alert type="info" title={m.noDeadline} />
      </div>
    );
  }
  if (platform) {
    if (deadline.timeLeftMs === null || !deadline.at) {
      return (
        <div data-testid="deadline-banner" data-urgency="none" style={{ marginBottom: 12 }}>
          <Alert type="info" showIcon title={<strong>{p.deadlineLabel}</strong>} description={p.deadlineUnknown} />
        </div>
      );
    }
    return <LiveBanner label={p.deadlineLabel} note={p.deadlineNote} at={deadline.at} timeLeftMs={deadline.timeLeftMs} fetchedAt={fetchedAt} />;
  }
  const label = labelOf(deadlineLabels[deadline.kind], lang, deadline.label);
  if (deadline.problem || deadline.timeLeftMs === null) {
    const code = deadline.problem?.code;
    const text =
      code === 'CALENDAR_OUT_OF_RANGE' ? m.problemCalendar : code === 'RETURN_ADDRESS_REQUIRED' ? m.problemReturnAddress : (deadline.problem?.message ?? '');
    return (
      <div data-testid="deadline-banner" data-urgency="warning" style={{ marginBottom: 12 }}>
        <Alert
          type="warning"
          showIcon
          title={
            <span>
              <strong>{label}</strong> · {m.deadlineProblem}
              {deadline.at ? ` · ${deadlineText(deadline.at, lang)}` : ''}
            </span>
          }
          description={text}
        />
      </div>
    );
  }
  return <LiveBanner label={label} at={deadline.at} timeLeftMs={deadline.timeLeftMs} fetchedAt={fetchedAt} />;
}

function LiveBanner({ label, note, at, timeLeftMs, fetchedAt }: { label: string; note?: string; at: string | null; timeLeftMs: number; fetchedAt: number }) {
  const m = useMessages(detailMessages);
  const { lang } = useLang();
  const now = useNow();
  const left = timeLeftMs - Math.max(0, now - fetchedAt);
  const level = urgency(left);
  return (
    <div data-testid="deadline-banner" data-urgency={level} style={{ marginBottom: 12 }}>
      <Alert
        type={alertType[level]}
        showIcon
        title={
          <span style={{ display: 'flex', flexWrap: 'wrap', gap: '4px 16px', alignItems: 'baseline' }}>
            <strong>{label}</strong>
            <span data-testid="deadline-at">{deadlineText(at, lang)}</span>
            <span>
              {left < 0 ? '' : `${m.timeLeft} `}
              <Typography.Text
                data-testid="countdown"
                style={{ color: colours[level], fontWeight: 600, fontSize: 18, fontVariantNumeric: 'tabular-nums' }}
                role="timer"
                aria-live="off"
              >
                {timeLeft(left, lang)}
              </Typography.Text>
            </span>
          </span>
        }
        description={note}
      />
    </div>
  );
}
