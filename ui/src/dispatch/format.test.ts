import { describe, expect, it } from 'vitest';
import type { Leg, LegMode } from '../ipc/types';
import { clock, legText, mmss, needsOverride, nextStep, rankForKey } from './format';

const names = (id: string) => ({ dinghai_pier: '定海码头', changbai_pier: '长白码头' })[id] ?? id;
const leg = (mode: LegMode, seconds: number): Leg => ({
  mode,
  from: 'dinghai_pier',
  to: 'changbai_pier',
  start: '2026-07-01T09:00:00+08:00',
  seconds,
  path: [],
});

describe('dispatch formatting', () => {
  it('formats durations as mm:ss and h:mm:ss', () => {
    expect(mmss(0)).toBe('00:00');
    expect(mmss(65)).toBe('01:05');
    expect(mmss(3599)).toBe('59:59');
    expect(mmss(3725)).toBe('1:02:05');
    expect(mmss(-4)).toBe('00:00');
  });

  it('reads the clock time of an RFC 3339 string', () => {
    expect(clock('2026-07-01T09:05:00+08:00')).toBe('09:05');
    expect(clock('nonsense')).toBe('');
    expect(clock('2026-07-01T23:55:30+08:00', 600)).toBe('00:05');
  });

  it('describes legs in both languages', () => {
    expect(legText('zh-CN', leg('drive', 330), names)).toBe('驾车 定海码头 → 长白码头 05:30');
    expect(legText('en', leg('ferry', 1200), names)).toBe('Ferry 定海码头 → 长白码头 (09:00) 20:00');
    // A wait leg starts on arrival at the pier: the sailing leaves when it ends.
    const forFerry = { ...leg('wait', 600), route: 'dinghai_changbai' };
    expect(legText('zh-CN', forFerry, names)).toBe('候船 定海码头（09:10 开船）10:00');
    // A wait without a ferry route is for the police boat that fetches the crew (issue #16).
    expect(legText('zh-CN', leg('wait', 600), names)).toBe('在定海码头等候警艇 10:00');
    expect(legText('en', leg('boat', 60), names)).toContain('Police boat');
    expect(legText('en', leg('teleport' as LegMode, 60), names)).toBe('teleport 定海码头 → 长白码头 01:00');
  });

  it('knows the next step of each state', () => {
    expect(nextStep('dispatched')).toBe('en_route');
    expect(nextStep('en_route')).toBe('on_scene');
    expect(nextStep('on_scene')).toBe('clear');
    expect(nextStep('received')).toBeUndefined();
    expect(nextStep('cleared')).toBeUndefined();
  });

  it('maps keys to ranks and asks for a reason below the top', () => {
    expect(rankForKey('Enter', 3)).toBe(0);
    expect(rankForKey('2', 3)).toBe(1);
    expect(rankForKey('4', 3)).toBeUndefined();
    expect(rankForKey('Enter', 0)).toBeUndefined();
    expect(rankForKey('a', 3)).toBeUndefined();
    expect(needsOverride(0)).toBe(false);
    expect(needsOverride(2)).toBe(true);
  });

});
