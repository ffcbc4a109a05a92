import { DICT, DEFAULT_LANG, LANGS, type Key, type Lang } from './dict';

export function isLang(v: unknown): v is Lang {
  return typeof v === 'string' && (LANGS as readonly string[]).includes(v);
}

/** Look a key up; `{name}` placeholders are filled from params. Unknown keys come back as-is. */
export function translate(lang: Lang, key: Key | string, params?: Record<string, string | number>): string {
  const table = DICT[lang] as Record<string, string>;
  let s = table[key] ?? (DICT[DEFAULT_LANG] as Record<string, string>)[key] ?? key;
  if (params) {
    for (const [k, v] of Object.entries(params)) s = s.replaceAll(`{${k}}`, String(v));
  }
  return s;
}

/** A bilingual record's name in the given language, falling back to the other one. */
export function localName(lang: Lang, o: { name_zh?: string; name_en?: string }): string {
  const zh = o.name_zh ?? '';
  const en = o.name_en ?? '';
  return lang === 'zh-CN' ? zh || en : en || zh;
}

/** Both names for tooltips: "定海 Dinghai" (the current language first). */
export function bothNames(lang: Lang, o: { name_zh?: string; name_en?: string }): string {
  const zh = o.name_zh ?? '';
  const en = o.name_en ?? '';
  const parts = lang === 'zh-CN' ? [zh, en] : [en, zh];
  return parts.filter((p, i) => p && parts.indexOf(p) === i).join(' · ');
}
