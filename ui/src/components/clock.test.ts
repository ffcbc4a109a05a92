import { describe, expect, it } from 'vitest';
import { fromZonedInput, toZonedInput } from './clock.svelte';

describe('the desk clock in the region time zone', () => {
  it('reads a wall-clock time in Asia/Shanghai, not the machine zone', () => {
    // 2026-12-02 03:00 in Shanghai (UTC+8) is 2026-12-01 19:00 UTC.
    expect(fromZonedInput('2026-12-02T03:00', 'Asia/Shanghai')).toBe(Date.UTC(2026, 11, 1, 19, 0) / 1000);
    expect(toZonedInput(Date.UTC(2026, 11, 1, 19, 0) / 1000, 'Asia/Shanghai')).toBe('2026-12-02T03:00');
  });

  it('follows a zone with daylight saving on both sides of the change', () => {
    // Europe/Berlin: UTC+1 in January, UTC+2 in July.
    expect(fromZonedInput('2026-01-15T12:00', 'Europe/Berlin')).toBe(Date.UTC(2026, 0, 15, 11, 0) / 1000);
    expect(fromZonedInput('2026-07-15T12:00', 'Europe/Berlin')).toBe(Date.UTC(2026, 6, 15, 10, 0) / 1000);
  });

  it('refuses what is not a date and time', () => {
    expect(fromZonedInput('', 'Asia/Shanghai')).toBeNull();
    expect(fromZonedInput('03:00', 'Asia/Shanghai')).toBeNull();
  });
});
