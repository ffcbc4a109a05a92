import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { IslandCollection, IslandFeature, IslandPeriod, IslandPeriodRow } from '../ipc/types';
import PeriodView from './PeriodView.svelte';
import { bBetter, pct, sideOf } from './period';

const square = (id: string, lon: number, lat: number, size: number): IslandFeature => ({
  type: 'Feature',
  properties: { id, name_zh: `${id}岛`, name_en: id, inhabited: true, in_district: true, population: null, confidence: 'high', estimated: false },
  geometry: { type: 'Polygon', coordinates: [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]] },
});
const islands: IslandCollection = { type: 'FeatureCollection', features: [square('zhoushan', 122.0, 30.0, 0.2), square('damao', 122.05, 29.9, 0.03), square('far', 122.3, 29.9, 0.01)] };
const period = (within_share: number | null, band: IslandPeriod['band'], calls = 10, p1_calls = 2): IslandPeriod => ({
  calls, p1_calls, unreached: 0, within_share, p1_within_share: within_share, band,
  response: within_share == null ? null : { count: calls, mean: 600, p50: 600, p90: 1800, max: 2400 },
});
// The core's rows (its order: the islands whose band B changes first).
const rows: IslandPeriodRow[] = [
  { island: 'damao', a: period(0.4, 'poor', 12, 5), b: period(0.75, 'fair', 12, 5), band_changed: true },
  { island: 'far', a: period(0.95, 'good'), b: period(0.7, 'fair'), band_changed: true },
  { island: 'zhoushan', a: period(0.92, 'good', 200, 30), b: period(0.93, 'good', 200, 30), band_changed: false },
  { island: 'sea', a: period(null, 'unjudged', 1, 0), b: period(null, 'unjudged', 1, 0), band_changed: false },
];
const islandName = (id: string) => `${id}岛`;

describe('period helpers', () => {
  it('words shares, picks a side, and ranks bands', () => {
    expect([pct(0.755), pct(null), pct(1)]).toEqual(['76%', '–', '100%']);
    expect(sideOf(rows[0], 'a')?.within_share).toBe(0.4);
    expect(sideOf({ ...rows[0], b: null }, 'b')?.within_share).toBe(0.4); // no run B: A
    expect([bBetter(rows[0]), bBetter(rows[1])]).toEqual([true, false]);
  });
});

describe('PeriodView', () => {
  it('tables each island, A beside B, and colours the map by B’s share, ringing changed bands', () => {
    render(PeriodView, { rows, islands, islandName });
    const table = screen.getAllByTestId('period-row').map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent?.trim()));
    expect(table[0]).toEqual(['damao岛', '12', '5', '40%', '40%', '10', '30', '75%', '75%', '10', '30']);
    expect(table[3].slice(3, 5)).toEqual(['–', '–']);
    const marks = screen.getAllByTestId('period-mark'); // no mark for calls at sea
    expect(marks.map((m) => [m.dataset.island, m.dataset.band, m.dataset.changed, m.textContent?.trim()])).toEqual([
      ['damao', 'fair', 'better', '75'],
      ['far', 'fair', 'worse', '70'],
      ['zhoushan', 'good', undefined, '93'],
    ]);
    expect(screen.getAllByTestId('period-shape')).toHaveLength(3);
    expect(screen.getByTestId('period-legend').textContent).toContain('目标内 ≥ 90%');
  });

  it('shows side A on the map when asked, and tells an island on hover with A’s share if B changed it', async () => {
    render(PeriodView, { rows, islands, islandName });
    await fireEvent.mouseEnter(screen.getAllByTestId('period-mark')[0]);
    const text = screen.getByTestId('period-detail').textContent ?? '';
    expect(text).toContain('damao岛：12 起（一级 5），目标内 75%');
    expect(screen.getByTestId('period-was').textContent).toContain('40%');
    await fireEvent.change(screen.getByTestId('period-side'), { target: { value: 'a' } });
    expect(screen.getAllByTestId('period-mark').map((m) => m.dataset.band)).toEqual(['poor', 'good', 'good']);
    expect(screen.queryByTestId('period-was')).toBeNull();
  });

  it('centres the map on an island clicked in the table', async () => {
    render(PeriodView, { rows, islands, islandName });
    expect(screen.getByTestId('period-zoom').textContent).toBe('×1.0');
    await fireEvent.click(screen.getAllByTestId('period-row-show')[0]);
    expect(screen.getByTestId('period-zoom').textContent).toBe('×4.0');
    expect(screen.getByTestId('period-detail').textContent).toContain('damao岛');
  });

  it('draws the table alone without a map, and one side without run B', () => {
    render(PeriodView, { rows: rows.map((r) => ({ ...r, b: null, band_changed: false })), islandName });
    expect(screen.queryByTestId('period-svg')).toBeNull();
    expect(screen.queryByTestId('period-side')).toBeNull();
    expect(screen.getAllByTestId('period-row')[0].querySelectorAll('td')).toHaveLength(7);
  });
});
