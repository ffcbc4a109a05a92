// The current language, as Svelte 5 runes state shared by every component.
import { DEFAULT_LANG, type Key, type Lang } from './dict';
import { isLang, translate } from './translate';

const STORAGE_KEY = 'tidewatch.lang';

function initialLang(): Lang {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (isLang(saved)) return saved;
  } catch {
    /* storage may be unavailable */
  }
  return DEFAULT_LANG;
}

class I18n {
  lang = $state<Lang>(initialLang());

  t = (key: Key, params?: Record<string, string | number>): string => translate(this.lang, key, params);

  set(lang: Lang) {
    this.lang = lang;
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, lang);
    } catch {
      /* ignore */
    }
    if (typeof document !== 'undefined') document.documentElement.lang = lang;
  }

  toggle() {
    this.set(this.lang === 'zh-CN' ? 'en' : 'zh-CN');
  }
}

export const i18n = new I18n();
export { translate, localName, bothNames } from './translate';
export type { Key, Lang } from './dict';
