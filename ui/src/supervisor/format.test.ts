import { describe, expect, it } from 'vitest';
import { binLabel, count, islandName, labelName, minutes, minutesValue, pct, routeModeName, signedPct, weekdayName } from './format';

describe('supervisor formatting', () => {
  it('writes durations in minutes with one decimal, a dash for none', () => {
    expect(minutes(564)).toBe('9.4');
    expect(minutes(0)).toBe('0.0');
    expect(minutes(null)).toBe('—');
    expect(minutesValue(564)).toBe(9.4);
    expect(minutesValue(undefined)).toBeNull();
  });

  it('writes shares and signed changes', () => {
    expect(pct(0.9027)).toBe('90.3%');
    expect(pct(null)).toBe('—');
    expect(signedPct(0.032)).toBe('+3.2%');
    expect(signedPct(-0.01)).toBe('−1.0%');
    expect(signedPct(0)).toBe('0.0%');
    expect(signedPct(null)).toBe('—');
  });

  it('groups thousands', () => {
    expect(count(15899, 'en')).toBe('15,899');
    expect(count(1234.56, 'en', 1)).toBe('1,234.6');
    expect(count(null, 'zh-CN')).toBe('—');
  });

  it('names islands, types, modes and weekdays in the language', () => {
    const labels = [{ id: 'jintang', name_zh: '金塘岛', name_en: 'Jintang' }];
    expect(labelName(labels, 'jintang', 'zh-CN')).toBe('金塘岛');
    expect(labelName(labels, 'jintang', 'en')).toBe('Jintang');
    expect(labelName(labels, 'nowhere', 'en')).toBe('nowhere');
    expect(islandName(labels, 'at_sea', 'zh-CN')).toBe('海上');
    expect(routeModeName('ferry', 'zh-CN')).toBe('轮渡');
    expect(routeModeName('-', 'en')).toBe('Not dispatched');
    expect(weekdayName(0, 'zh-CN')).toBe('周一');
    expect(weekdayName(6, 'en')).toBe('Sun');
  });

  it('labels histogram bins in minutes', () => {
    expect(binLabel(4, 120)).toBe('8–10');
    expect(binLabel(1, 30)).toBe('0.5–1');
    expect(binLabel(30, 120, true)).toBe('≥60');
  });
});
