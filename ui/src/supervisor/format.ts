// Pure formatting for the supervisor's screen (unit-tested in format.test.ts). The figures
// themselves come computed from the core; this only writes them for people.
import type { Lang } from '../i18n/dict';
import { translate } from '../i18n/translate';
import type { Label } from '../ipc/types';

const DASH = '—';

/** Seconds as minutes with one decimal ("9.4"); a dash when there is no figure. */
export function minutes(s: number | null | undefined): string {
  return s == null || !Number.isFinite(s) ? DASH : (s / 60).toFixed(1);
}

/** Seconds as minutes, rounded to 0.1, as a number for chart values. */
export function minutesValue(s: number | null | undefined): number | null {
  return s == null || !Number.isFinite(s) ? null : Math.round(s / 6) / 10;
}

/** A share 0..1 as a percentage ("90.3%"). */
export function pct(share: number | null | undefined, digits = 1): string {
  return share == null || !Number.isFinite(share) ? DASH : `${(share * 100).toFixed(digits)}%`;
}

/** A change 0..1 with its sign ("+3.2%", "−1.0%"); a dash when there is nothing to compare with. */
export function signedPct(change: number | null | undefined): string {
  if (change == null || !Number.isFinite(change)) return DASH;
  const v = (change * 100).toFixed(1);
  return change > 0 ? `+${v}%` : change < 0 ? `−${v.slice(1)}%` : '0.0%';
}

/** A count with thousands separators in the language's style. */
export function count(n: number | null | undefined, lang: Lang, digits = 0): string {
  if (n == null || !Number.isFinite(n)) return DASH;
  return new Intl.NumberFormat(lang, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(n);
}

/** An id's name from the dashboard's labels, in the language; the id itself when unknown. */
export function labelName(labels: Label[], id: string | null | undefined, lang: Lang): string {
  if (id == null) return DASH;
  const l = labels.find((x) => x.id === id);
  if (!l) return id;
  return lang === 'zh-CN' ? l.name_zh || l.name_en : l.name_en || l.name_zh;
}

/** An island key of a report ("at_sea" for incidents off every island). */
export function islandName(labels: Label[], id: string | null | undefined, lang: Lang): string {
  if (id == null || id === 'at_sea') return translate(lang, 'sup.at_sea');
  return labelName(labels, id, lang);
}

/** road / bridge / ferry ("-": never dispatched). */
export function routeModeName(mode: string, lang: Lang): string {
  const key = `sup.mode.${mode === '-' ? 'none' : mode}`;
  const s = translate(lang, key);
  return s === key ? mode : s;
}

export const WEEKDAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export function weekdayName(i: number, lang: Lang): string {
  return translate(lang, `sup.weekday.${WEEKDAY_KEYS[i]}`);
}

/** The bin label of a histogram bar, in minutes: "8–10", or "≥ 60" for the overflow bar. */
export function binLabel(i: number, binS: number, over = false): string {
  const lo = (i * binS) / 60;
  const fmt = (m: number) => (Number.isInteger(m) ? String(m) : m.toFixed(1));
  return over ? `≥${fmt(lo)}` : `${fmt(lo)}–${fmt(((i + 1) * binS) / 60)}`;
}
