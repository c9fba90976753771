/** A deadline's time left, counting down live and changing colour as it nears (calm → orange inside a day → red inside 4 hours / overdue). */
import { timeLeft, urgency } from './format.ts';
import { useLang } from './i18n.tsx';
import { useNow } from './ticker.ts';

const colours = { none: 'inherit', ok: '#389e0d', warning: '#d46b08', danger: '#cf1322' } as const;

/** timeLeftMs as the server answered at fetchedAt (the browser's clock may differ from the server's: only the elapsed time counts). */
export function Countdown({ timeLeftMs, fetchedAt, strong }: { timeLeftMs: number; fetchedAt: number; strong?: boolean }) {
  const now = useNow();
  const { lang } = useLang();
  const left = timeLeftMs - Math.max(0, now - fetchedAt);
  const level = urgency(left);
  return (
    <span data-urgency={level} style={{ color: colours[level], fontWeight: strong || level === 'danger' ? 600 : 400, fontVariantNumeric: 'tabular-nums' }}>
      {timeLeft(left, lang)}
    </span>
  );
}
