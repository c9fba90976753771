/** The official calendar as shipped by chinese-days. */
import data from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { makeWorkingCalendar, type CalendarData, type WorkingCalendar } from './working-days.ts';

export const chinaCalendarData: CalendarData = { holidays: data.holidays, workdays: data.workdays };

/** The default calendar, optionally extended by a year's official schedule (same JSON shape). */
export function chinaCalendar(...extra: CalendarData[]): WorkingCalendar {
  return makeWorkingCalendar(chinaCalendarData, ...extra);
}
