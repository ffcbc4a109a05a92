import { describe, expect, it } from 'vitest';
import { DEFAULT_LANG, DICT, LANGS } from './dict';
import { bothNames, isLang, localName, translate } from './translate';

describe('i18n dictionary', () => {
  it('defaults to zh-CN', () => {
    expect(DEFAULT_LANG).toBe('zh-CN');
  });

  it('has every key in every language, none empty', () => {
    const keys = Object.keys(DICT['zh-CN']).sort();
    for (const lang of LANGS) {
      expect(Object.keys(DICT[lang]).sort()).toEqual(keys);
      for (const k of keys) expect((DICT[lang] as Record<string, string>)[k].trim()).not.toBe('');
    }
  });

  it('translates and fills placeholders', () => {
    expect(translate('zh-CN', 'header.about')).toBe('关于');
    expect(translate('en', 'header.about')).toBe('About');
    expect(translate('en', 'status.counts', { islands: 3, places: 6, units: 5 })).toBe(
      '3 islands · 6 places · 5 units',
    );
  });

  it('returns unknown keys unchanged', () => {
    expect(translate('en', 'no.such.key')).toBe('no.such.key');
  });

  it('picks names by language with fallback', () => {
    const both = { name_zh: '定海', name_en: 'Dinghai' };
    expect(localName('zh-CN', both)).toBe('定海');
    expect(localName('en', both)).toBe('Dinghai');
    expect(localName('en', { name_zh: '定海', name_en: '' })).toBe('定海');
    expect(bothNames('zh-CN', both)).toBe('定海 · Dinghai');
    expect(bothNames('en', both)).toBe('Dinghai · 定海');
    expect(bothNames('en', { name_zh: 'X', name_en: 'X' })).toBe('X');
  });

  it('recognises languages', () => {
    expect(isLang('en')).toBe(true);
    expect(isLang('fr')).toBe(false);
    expect(isLang(null)).toBe(false);
  });
});
