// Where a candidate's ETA starts, in words: "GPS 40 s ago" / "last known place: 长白警务站",
// with why a fix was not used (unit-tested in start.test.ts).
import type { Lang } from '../i18n/dict';
import { translate } from '../i18n/translate';
import type { StartFrom } from '../ipc/types';

function age(lang: Lang, s: number): string {
  return s < 120 ? translate(lang, 'from.age.s', { n: s }) : translate(lang, 'from.age.min', { n: Math.round(s / 60) });
}

export function startText(lang: Lang, from: StartFrom): string {
  const place = (lang === 'zh-CN' ? from.place_zh || from.place_en : from.place_en || from.place_zh) || from.place;
  const fixAge = age(lang, from.fix?.age_s ?? 0);
  if (from.basis === 'gps') {
    return from.afloat ? translate(lang, 'from.gps.afloat', { age: fixAge, place }) : translate(lang, 'from.gps', { age: fixAge });
  }
  const main = translate(lang, 'from.last_known', { place });
  if (!from.ignored) return main;
  const why = translate(lang, `from.ignored.${from.ignored}`, { age: fixAge });
  return `${main} · ${why}`;
}
