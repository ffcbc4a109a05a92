// The tips' figures in the supervisor's report: the period asked of the service, and the
// time to close in words.
import type { Lang } from '../i18n/dict';
import { translate } from '../i18n/translate';

const DAY_MS = 86_400_000;

/** `[from, to)` in unix seconds for the report's dates (`YYYY-MM-DD`, the desk's local
 *  midnight; the `to` day included); the last 30 days to now when a date is missing. */
export function tipPeriod(from: string, to: string, nowMs: number): [number, number] {
  const day = (d: string) => (/^\d{4}-\d{2}-\d{2}$/.test(d) ? new Date(`${d}T00:00:00`).getTime() : NaN);
  const start = day(from);
  const end = day(to);
  if (Number.isFinite(start) && Number.isFinite(end) && end >= start) {
    return [Math.floor(start / 1000), Math.floor((end + DAY_MS) / 1000)];
  }
  return [Math.floor((nowMs - 30 * DAY_MS) / 1000), Math.floor(nowMs / 1000) + 1];
}

/** "—" with nothing closed, else minutes (under 2 h) or hours. */
export function closeTimeText(lang: Lang, seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return translate(lang, 'kpi.tips.none');
  if (seconds < 7200) return translate(lang, 'kpi.tips.minutes', { n: Math.max(1, Math.round(seconds / 60)) });
  return translate(lang, 'kpi.tips.hours', { n: (seconds / 3600).toFixed(1) });
}
