// Pure formatting for the dispatch panels (unit-tested in format.test.ts).
import type { Lang } from '../i18n/dict';
import { translate } from '../i18n/translate';
import type { IncidentStateName, Leg } from '../ipc/types';

/** Seconds as m:ss (mm:ss, or h:mm:ss from an hour on). */
export function mmss(total: number): string {
  const s = Math.max(0, Math.round(total));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${String(m).padStart(2, '0')}:${sec}`;
}

/** A place id → its name in the language; unknown ids (e.g. "incident") are translated or kept. */
export type Names = (id: string) => string;

/** "HH:MM" from an RFC 3339 time in the region's zone (the string's own clock time),
 *  `later` seconds on. */
export function clock(rfc3339: string, later = 0): string {
  const m = /T(\d{2}):(\d{2}):?(\d{2})?/.exec(rfc3339);
  if (!m) return '';
  const t = (Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0) + later) % 86400;
  return `${String(Math.floor(t / 3600)).padStart(2, '0')}:${String(Math.floor((t % 3600) / 60)).padStart(2, '0')}`;
}

/** One leg in words: "驾车 定海 → 长白码头 12:30" / "Wait at Dinghai pier for the 09:00 sailing 25:00". */
export function legText(lang: Lang, leg: Leg, names: Names): string {
  const from = names(leg.from);
  const to = names(leg.to);
  const dur = mmss(leg.seconds);
  // A wait with no ferry route is for the police boat that carries the crew (issue #16).
  const key = leg.mode === 'wait' && !leg.route ? 'leg.wait_boat' : `leg.${leg.mode}`;
  // A wait starts on arrival at the pier; the sailing it waits for leaves when it ends.
  const time = clock(leg.start, leg.mode === 'wait' ? leg.seconds : 0);
  const params = { from, to, dur, time };
  const text = translate(lang, key, params);
  return text === key ? `${leg.mode} ${from} → ${to} ${dur}` : text;
}

/** The next step of an open incident, and the command that takes it. */
export type Step = 'en_route' | 'on_scene' | 'clear';
export function nextStep(state: IncidentStateName | string): Step | undefined {
  switch (state) {
    case 'dispatched':
      return 'en_route';
    case 'en_route':
      return 'on_scene';
    case 'on_scene':
      return 'clear';
    default:
      return undefined;
  }
}

/** Whether picking the candidate at `rank` (0-based) needs an override reason: the core lists
 *  the recommended row first (a crew a boat carries, when no unit going alone is within
 *  target and the pair is the fastest; issue #16). */
export function needsOverride(rank: number): boolean {
  return rank > 0;
}

/** Key → rank for the recommendation list: Enter is the top one, 1–9 pick a rank. */
export function rankForKey(key: string, count: number): number | undefined {
  if (key === 'Enter') return count > 0 ? 0 : undefined;
  if (/^[1-9]$/.test(key)) {
    const r = Number(key) - 1;
    return r < count ? r : undefined;
  }
  return undefined;
}
