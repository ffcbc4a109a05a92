import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { IslandReach, MapView, ReachComparison, RosterSummary, SimReport, WhatIf } from '../ipc/types';

const calls: { cmd: string; args: any }[] = [];
vi.mock('@tauri-apps/api/core', () => ({
  invoke: async (cmd: string, args: any) => {
    calls.push({ cmd, args });
    return cmd === 'reach_compare' ? comparison : result;
  },
}));

import WhatIfPanel from './WhatIfPanel.svelte';

const summary = (id: number, published_seq: number | null): RosterSummary => ({
  id, label: `#${id}`, by: 'li', made_at: '', from: '2026-11-02', days: 7, shifts: 100, coverage_pct: 100, stopped: false, published_seq,
});
const row = (key: string, p50: number, p90: number, within: number) => ({
  key, calls: 100, response: { count: 100, mean: p50, p50, p90, max: p90 * 2 }, within_target: within,
});
const report = (p50: number): SimReport => ({
  scenario: { name: 'typhoon', surge: 1, conditions: { wind_force: 10, visibility_m: null, closed: [] }, turnout_s: 120 },
  roster_shifts: 100, calls: 300, reached: 290, unreached: 10, waited: 3, carried: 0,
  overall: row('all', p50, p50 * 2, 0.8), by_priority_mode: [], by_island: [row('cezi', p50, p50 * 2, 0.7)], by_route_mode: [row('road', p50, p50 * 2, 0.9)],
  seconds: 0.1, model: 'fastest free on-duty unit', model_kind: 'fastest_free_from_base',
});
const result: WhatIf = {
  scenario: report(1).scenario, replay_from: '2026-10-19', replay_to: '2026-11-02',
  a: { roster: 2, label: '#2', report: report(600) },
  b: { roster: 1, label: '#1', report: report(900) },
  islands: [
    {
      island: 'cezi',
      a: { calls: 40, p1_calls: 6, unreached: 2, within_share: 0.5, p1_within_share: 0.5, response: { count: 38, mean: 1500, p50: 1200, p90: 4200, max: 9000 }, band: 'poor' },
      b: { calls: 40, p1_calls: 6, unreached: 0, within_share: 0.95, p1_within_share: 1, response: { count: 40, mean: 900, p50: 840, p90: 1500, max: 2000 }, band: 'good' },
      band_changed: true,
    },
  ],
};

describe('WhatIfPanel', () => {
  it('compares the current plan with the published one by default, side by side', async () => {
    const islandName = (id: string) => (id === 'cezi' ? '册子岛' : id);
    render(WhatIfPanel, { rosters: [summary(1, 77), summary(2, null)], selected: 2, bridges: [{ id: 'jintang_bridge', name_zh: '金塘大桥', name_en: 'Jintang Bridge', from: [0, 0], to: [1, 1], closed: false, estimated: false }], islandName });
    expect((screen.getByTestId('whatif-a') as HTMLSelectElement).value).toBe('2');
    expect((screen.getByTestId('whatif-b') as HTMLSelectElement).value).toBe('1');
    await fireEvent.change(screen.getByTestId('whatif-scenario'), { target: { value: 'bridge_closed' } });
    await fireEvent.click(screen.getByTestId('whatif-run'));
    await waitFor(() => expect(screen.getByTestId('whatif-table')).toBeTruthy());
    expect(calls[0]).toEqual({ cmd: 'what_if', args: { request: { a: 2, b: 1, scenario: 'bridge_closed', closed: ['jintang_bridge'] } } });
    const overall = screen.getByTestId('whatif-overall').textContent ?? '';
    expect(overall).toContain('10.0'); // A's p50, minutes
    expect(overall).toContain('15.0'); // B's p50
    expect(screen.getByTestId('whatif-overall').querySelectorAll('td.good').length).toBe(2); // A is faster at p50 and p90
    expect(screen.getByTestId('whatif-table').textContent).toContain('册子岛');
    // The model line is in the operator's language, not the core's English.
    const model = screen.getByTestId('whatif-model').textContent ?? '';
    expect(model).toContain('最快到达的空闲在岗警力');
    expect(model).not.toContain('fastest free');
    expect(screen.getByTestId('whatif-table').textContent).toContain('路径 道路');
  });
});

const reachRow = (island: string, band: IslandReach['band'], eta_s: number | null): IslandReach => ({
  island, name_zh: island, name_en: island, place: `${island}_village`, eta_s, mode: eta_s == null ? null : 'boat', unit: eta_s == null ? null : 'boat_01',
  target_s: 2700, within_target: band === 'within', band,
});
// The core's comparison, made up: the panel only draws it.
const comparison: ReachComparison = {
  baseline: [reachRow('cezi', 'beyond', 27000)],
  scenario: [reachRow('cezi', 'within', 1500)],
  changed: [{ island: 'cezi', before: 'beyond', after: 'within', before_eta_s: 27000, after_eta_s: 1500, better: true }],
};
const view = {
  islands: {
    type: 'FeatureCollection',
    features: [{
      type: 'Feature',
      properties: { id: 'cezi', name_zh: '册子岛', name_en: 'Cezi', inhabited: true, in_district: true, population: null, confidence: 'high', estimated: false },
      geometry: { type: 'Polygon', coordinates: [[[121.9, 30.0], [121.95, 30.0], [121.95, 30.05], [121.9, 30.0]]] },
    }],
  },
  places: [{ id: 'pier_cezi', kind: 'pier', name_zh: '册子码头', name_en: 'Cezi Pier', lon: 121.92, lat: 30.02, island: 'cezi' }],
  units: [{ id: 'boat_02', call_sign: '定海警艇02', kind: 'boat', base: 'pier_ligang', lon: 121.8, lat: 30.1, status: 'available' }],
  ferry_routes: [],
} as unknown as MapView;

describe('WhatIfPanel reach map', () => {
  it('shows the reach of A and B under the scenario at an hour, B with a move, the changed islands outlined', async () => {
    calls.length = 0;
    render(WhatIfPanel, { rosters: [summary(1, 77), summary(2, null)], selected: 2, bridges: [], islandName: (_id: string, f: string) => f, view });
    await fireEvent.click(screen.getByTestId('whatif-run'));
    await waitFor(() => expect(screen.getByTestId('whatif-reach')).toBeTruthy());
    await fireEvent.change(screen.getByTestId('whatif-move-unit'), { target: { value: 'boat_02' } });
    await fireEvent.click(screen.getByTestId('whatif-reach-run'));
    await waitFor(() => expect(screen.getByTestId('reach-map')).toBeTruthy());
    const conditions = { wind_force: 10, visibility_m: null, closed: [] };
    expect(calls[calls.length - 1]).toEqual({
      cmd: 'reach_compare',
      args: {
        request: {
          at: '2026-10-19T02:00',
          priority: 1,
          baseline: { conditions, roster: 2, moves: [] },
          scenario: { conditions, roster: 1, moves: [{ unit: 'boat_02', place: 'pier_cezi' }] },
        },
      },
    });
    const mark = screen.getByTestId('reach-mark');
    expect([mark.dataset.band, mark.dataset.changed]).toEqual(['within', 'better']);
    // The period per island, on its own map: B's share colours it, the ring says B is better.
    const period = screen.getByTestId('period-mark');
    expect([period.dataset.band, period.dataset.changed, period.textContent?.trim()]).toEqual(['good', 'better', '95']);
    expect(screen.getByTestId('period-row').textContent).toContain('95%');
  });
});
