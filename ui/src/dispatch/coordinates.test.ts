import { describe, expect, it } from 'vitest';
import { parseCoordinates } from './coordinates';

const dinghai = { min_lon: 121.9, max_lon: 122.35, min_lat: 29.85, max_lat: 30.25 };

describe('coordinates typed into the place field', () => {
  it('reads decimal degrees either way round', () => {
    expect(parseCoordinates('122.103, 30.018')).toEqual([122.103, 30.018]);
    expect(parseCoordinates('30.018 122.103')).toEqual([122.103, 30.018]);
    expect(parseCoordinates('30.018，122.103')).toEqual([122.103, 30.018]);
  });

  it('follows hemisphere letters and Chinese markers', () => {
    expect(parseCoordinates('N30.018 E122.103')).toEqual([122.103, 30.018]);
    expect(parseCoordinates('E122.103 N30.018')).toEqual([122.103, 30.018]);
    expect(parseCoordinates('30.018N 122.103E')).toEqual([122.103, 30.018]);
    expect(parseCoordinates('北纬30.018 东经122.103')).toEqual([122.103, 30.018]);
    expect(parseCoordinates('33.9S 18.4E')).toEqual([18.4, -33.9]);
  });

  it('reads degrees, minutes and seconds', () => {
    const [lon, lat] = parseCoordinates(`30°1'5"N 122°6'11"E`)!;
    expect(lat).toBeCloseTo(30 + 1 / 60 + 5 / 3600, 6);
    expect(lon).toBeCloseTo(122 + 6 / 60 + 11 / 3600, 6);
    const [lon2, lat2] = parseCoordinates('北纬30°1′ 东经122°6′')!;
    expect(lat2).toBeCloseTo(30 + 1 / 60, 6);
    expect(lon2).toBeCloseTo(122.1, 6);
  });

  it('uses the region to order two small values', () => {
    // lat, lon by default (as phones show them)...
    expect(parseCoordinates('10.5, 20.5')).toEqual([20.5, 10.5]);
    // ...unless only lon, lat lies in the region.
    const b = { min_lon: 10, max_lon: 11, min_lat: 20, max_lat: 21 };
    expect(parseCoordinates('10.5, 20.5', b)).toEqual([10.5, 20.5]);
    expect(parseCoordinates('30.018 122.103', dinghai)).toEqual([122.103, 30.018]);
  });

  it('is not fooled by names, half-typed numbers or impossible values', () => {
    for (const text of ['长白警务站', 'cbjwz', '122.103', '122.103, 30.018, 5', '定海 122.1 30.0', '95, 100', '']) {
      expect(parseCoordinates(text, dinghai), text).toBeNull();
    }
  });
});
