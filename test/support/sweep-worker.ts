/** A second process for the sweeper test: opens the database, waits for the go signal, sweeps at the given time. */
import { sweepDueDeadlines } from '../../src/app/refunds.ts';
import { SettableClock } from '../../src/app/context.ts';
import { chinaCalendar } from '../../src/core/calendar/china-calendar.ts';
import { openDatabase } from '../../src/db/connection.ts';

const [target, nowIso, goAtMs] = process.argv.slice(2);
if (!target || !nowIso || !goAtMs) throw new Error('usage: sweep-worker <database> <now> <go-at-epoch-ms>');
const db = openDatabase(target);
const clock = new SettableClock();
clock.set(new Date(nowIso));
await db.kysely.selectFrom('refunds').select('id').limit(1).execute(); // connect before the start line
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(goAtMs) - Date.now())));
const applied = await sweepDueDeadlines({ db, clock, calendar: chinaCalendar() }, { batch: 25 });
process.stdout.write(JSON.stringify({ applied }));
await db.close();
