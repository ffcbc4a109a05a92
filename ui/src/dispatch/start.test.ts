import { describe, expect, it } from 'vitest';
import type { StartFrom } from '../ipc/types';
import { startText } from './start';

const base: StartFrom = { basis: 'last_known', place: 'post_changbai', place_zh: '长白警务站', place_en: 'Changbai Police Post', afloat: false };
const fix = { lon: 122.04, lat: 30.18, fix_utc: 1_782_864_000, source: 'osmand' as const, age_s: 40 };

describe('startText', () => {
  it('names the last known place when there is no fix', () => {
    expect(startText('zh-CN', base)).toBe('最后已知位置：长白警务站');
    expect(startText('en', base)).toBe('last known place: Changbai Police Post');
  });

  it('says how old a fresh GPS fix is, and where a unit on a ferry lands', () => {
    const gps: StartFrom = { ...base, basis: 'gps', fix };
    expect(startText('zh-CN', gps)).toBe('GPS 40 秒前');
    expect(startText('en', gps)).toBe('GPS 40 s ago');
    expect(startText('en', { ...gps, fix: { ...fix, age_s: 300 } })).toBe('GPS 5 min ago');
    const afloat: StartFrom = { ...gps, afloat: true, place_en: 'Panzhi Pier', ferry_route: 'ferry_dinghai_panzhi' };
    expect(startText('en', afloat)).toBe('afloat (GPS 40 s ago), arriving at Panzhi Pier');
  });

  it('says why a fix was not used', () => {
    expect(startText('en', { ...base, fix: { ...fix, age_s: 220 }, ignored: 'stale' })).toBe(
      'last known place: Changbai Police Post · GPS stale (4 min ago)',
    );
    expect(startText('zh-CN', { ...base, fix, ignored: 'at_sea' })).toContain('GPS 在海上');
  });
});
