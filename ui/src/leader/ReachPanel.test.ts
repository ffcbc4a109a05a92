import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { IslandFeature, IslandReach, MapView, ReachChange, RosterSummary } from '../ipc/types';
import ReachPanel from './ReachPanel.svelte';
import { minutes, pairedReach, reachBand, withinShare } from './reach';

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }));
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

const island = (id: string, eta_s: number | null, mode: IslandReach['mode'], within: boolean, carrier?: string): IslandReach => ({
  island: id, name_zh: id, name_en: id, place: `${id}_village`, eta_s, mode, unit: eta_s == null ? null : 'u1', carrier,
  target_s: eta_s == null ? null : 2700, within_target: within,
  band: eta_s == null ? 'unreachable' : within ? 'within' : eta_s <= 5400 ? 'twice' : 'beyond',
});
const night = [island('zhoushan', 300, 'road', true), island('damao', 2540, 'boat', true), island('cezi', 27000, 'ferry', false), island('far', null, null, false)];
const fewer = [island('zhoushan', 400, 'road', true), island('damao', 2600, 'carried', true, 'boat_01'), island('cezi', 27000, 'ferry', false), island('far', null, null, false)];
const rosters = [{ id: 2, label: '夜班方案' }] as RosterSummary[];
// The core's verdict on the comparison (made up here: the panel only shows it).
const change: ReachChange = { island: 'damao', before: 'within', after: 'twice', before_eta_s: 2540, after_eta_s: 3000, better: false };
const square = (id: string, lon: number): IslandFeature => ({
  type: 'Feature',
  properties: { id, name_zh: id, name_en: id, inhabited: true, in_district: true, population: null, confidence: 'high', estimated: false },
  geometry: { type: 'Polygon', coordinates: [[[lon, 30], [lon + 0.02, 30], [lon + 0.02, 30.02], [lon, 30.02], [lon, 30]]] },
});
const view = {
  islands: { type: 'FeatureCollection', features: ['zhoushan', 'damao', 'cezi', 'far'].map((id, i) => square(id, 122 + i * 0.05)) },
  places: [
    { id: 'pier_damao', kind: 'pier', name_zh: '大猫岛码头', name_en: 'Damao Pier', lon: 122.05, lat: 30, island: 'damao' },
    { id: 'damao_village', kind: 'village', name_zh: '大猫村', name_en: 'Damao', lon: 122.05, lat: 30, island: 'damao' },
  ],
  units: [{ id: 'boat_02', call_sign: '定海警艇02', kind: 'boat', base: 'pier_ligang', lon: 121.8, lat: 30.1, status: 'available' }],
  ferry_routes: [{ id: 'dinghai_damao' }],
} as unknown as MapView;

describe('reach helpers', () => {
  it('bands islands within, beyond target or unreached, and lists the bad ones first', () => {
    expect(night.map(reachBand)).toEqual(['within', 'within', 'beyond', 'unreachable']);
    expect(reachBand(undefined)).toBe('unreachable');
    expect(pairedReach(night, undefined).map(([k]) => k)).toEqual(['cezi', 'far', 'zhoushan', 'damao']);
    // An island beyond target on one side only stands out too.
    const worse = [island('zhoushan', 900, 'road', false), ...night.slice(1)];
    expect(pairedReach(night, worse).map(([k]) => k)).toEqual(['zhoushan', 'cezi', 'far', 'damao']);
    expect(withinShare(night)).toBe('50%');
    expect(withinShare([])).toBe('–');
    expect([minutes(2540), minutes(null)]).toEqual(['42', '–']);
  });
});

describe('ReachPanel', () => {
  beforeEach(() => {
    invoke.mockReset();
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'reach') return night;
      if (cmd === 'reach_compare') return { baseline: night, scenario: fewer, changed: [change] };
      return undefined;
    });
  });

  it('asks the core once for a single side at the hour and wind, ferries stopped closing every route', async () => {
    render(ReachPanel, { rosters, islandName: (_id: string, fallback: string) => fallback, view });
    await fireEvent.click(screen.getByTestId('reach-ferries-stopped'));
    await fireEvent.click(screen.getByTestId('reach-run'));
    await waitFor(() => expect(screen.getAllByTestId('reach-row')).toHaveLength(4));
    expect(invoke).toHaveBeenCalledTimes(1);
    expect(invoke).toHaveBeenCalledWith('reach', {
      request: { at: '2026-10-14T02:00', priority: 1, conditions: { wind_force: 0, visibility_m: null, closed: ['dinghai_damao'] }, roster: null },
    });
    // The map beside the table, A's bands, no comparison.
    expect(screen.getAllByTestId('reach-mark').map((m) => m.dataset.band)).toEqual(['within', 'within', 'beyond', 'unreachable']);
    expect(screen.queryByTestId('reach-changed-count')).toBeNull();
  });

  it('compares two rosters and a move through the core, the map showing B with its changes', async () => {
    render(ReachPanel, { rosters, islandName: (_id: string, fallback: string) => fallback, view });
    await fireEvent.input(screen.getByTestId('reach-wind'), { target: { value: '8' } });
    await fireEvent.change(screen.getByTestId('reach-b'), { target: { value: '2' } });
    await fireEvent.change(screen.getByTestId('reach-move-unit'), { target: { value: 'boat_02' } });
    // A boat is offered piers only.
    const places = [...(screen.getByTestId('reach-move-place') as HTMLSelectElement).options].map((o) => o.value);
    expect(places).toEqual(['pier_damao']);
    await fireEvent.click(screen.getByTestId('reach-run'));
    await waitFor(() => expect(screen.getAllByTestId('reach-row')).toHaveLength(4));
    const wind8 = { wind_force: 8, visibility_m: null, closed: [] };
    expect(invoke).toHaveBeenCalledWith('reach_compare', {
      request: {
        at: '2026-10-14T02:00',
        priority: 1,
        baseline: { conditions: wind8, roster: null, moves: [] },
        scenario: { conditions: wind8, roster: 2, moves: [{ unit: 'boat_02', place: 'pier_damao' }] },
      },
    });
    const marks = screen.getAllByTestId('reach-mark');
    expect(marks.find((m) => m.dataset.island === 'damao')?.dataset.changed).toBe('worse');
    expect(screen.getByTestId('reach-changed-count').textContent).toContain('1');
    const rows = screen.getAllByTestId('reach-row');
    expect(rows.map((r) => r.dataset.island)).toEqual(['cezi', 'far', 'zhoushan', 'damao']);
    const bands = screen.getAllByTestId('reach-eta').map((e) => e.dataset.band);
    expect(bands).toEqual(['beyond', 'beyond', 'unreachable', 'unreachable', 'within', 'within', 'within', 'within']);
    const damao = rows[3].textContent ?? '';
    expect(damao).toContain('警艇');
    expect(damao).toContain('警艇运送');
    expect(damao).toContain('u1 / boat_01');
    expect(screen.getByTestId('reach-share').textContent).toContain('A 50%');
  });

  it('shows the core refusal in words', async () => {
    invoke.mockRejectedValue({ kind: 'invalid_input', field: 'at', message: "'x' is neither an RFC 3339 time nor a local YYYY-MM-DDTHH:MM" });
    render(ReachPanel, { rosters, islandName: (_id: string, fallback: string) => fallback });
    await fireEvent.click(screen.getByTestId('reach-run'));
    await waitFor(() => expect(screen.getByTestId('reach-error').textContent).toContain('RFC 3339'));
  });
});
