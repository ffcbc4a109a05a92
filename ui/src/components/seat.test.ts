import { describe, expect, it } from 'vitest';
import { seatName } from './seat';

const t = (key: string, params?: Record<string, string | number>) => `${key}${params ? JSON.stringify(params) : ''}`;

describe('seatName', () => {
  it('names a station by its place, and the centre and traffic squadron by their words', () => {
    const names: Record<string, string> = { changbai_post: '长白警务站' };
    const place = (id: string) => names[id] ?? id;
    expect(seatName(t, 'station:changbai_post', place)).toBe('seat.station{"name":"长白警务站"}');
    expect(seatName(t, 'traffic', place)).toBe('seat.traffic');
    expect(seatName(t, 'centre', place)).toBe('seat.centre');
  });
});
