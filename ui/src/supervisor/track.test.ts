import { fireEvent, render, screen } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import TrackReplay from './TrackReplay.svelte';
import { fromLocalInput, localInput, onAt, positionAt, projector } from './track';
import type { Track } from '../ipc/types';

const T0 = 1_791_500_000;
const point = (dt: number, lon: number, lat: number, afloat = false) => ({ fix_utc: T0 + dt, lon, lat, speed_kmh: 30, afloat, usable: true });
const track: Track = {
  unit: 'u_changbai',
  from_utc: T0 - 600,
  to_utc: T0 + 3600,
  points: [point(0, 122.0, 30.0), point(100, 122.1, 30.0), point(200, 122.1, 30.1, true)],
  truncated: false,
  incidents: [
    { id: 7, incident_type: 'fight', priority: 1, lon: 122.1, lat: 30.1, dispatched_utc: T0 + 50, on_scene_utc: T0 + 200, closed_utc: T0 + 900, carried: false },
    { id: 8, incident_type: 'theft', priority: 3, lon: 122.0, lat: 30.0, dispatched_utc: T0 + 1000, on_scene_utc: null, closed_utc: null, carried: true },
  ],
};

describe('the track replay', () => {
  beforeEach(() => {
    invoke.mockReset();
  });

  it('puts the unit between its fixes by the time’s share, and at the ends before and after', () => {
    expect(positionAt(track.points, T0 + 50)).toMatchObject({ lon: 122.05, lat: 30.0, since_fix_s: 50 });
    expect(positionAt(track.points, T0 - 300)).toMatchObject({ lon: 122.0, lat: 30.0 });
    expect(positionAt(track.points, T0 + 5000)).toMatchObject({ lon: 122.1, lat: 30.1, afloat: true, since_fix_s: 4800 });
    expect(positionAt([], T0)).toBeNull();
  });

  it('knows which incidents the unit was on at a moment', () => {
    expect(onAt(track.incidents, T0 + 10).map((i) => i.id)).toEqual([]);
    expect(onAt(track.incidents, T0 + 50).map((i) => i.id)).toEqual([7]);
    expect(onAt(track.incidents, T0 + 900).map((i) => i.id)).toEqual([]);
    expect(onAt(track.incidents, T0 + 2000).map((i) => i.id)).toEqual([8]);
  });

  it('projects the track inside the picture, north up and east right', () => {
    const p = projector(track, 500, 300);
    const [w, n] = [p(122.0, 30.1), p(122.1, 30.1)];
    const s = p(122.0, 30.0);
    expect(n[0]).toBeGreaterThan(w[0]);
    expect(s[1]).toBeGreaterThan(w[1]);
    for (const [x, y] of [w, n, s]) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(500);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(300);
    }
  });

  it('reads and writes the period in local time', () => {
    expect(fromLocalInput(localInput(T0))).toBe(T0 - (T0 % 60));
    expect(fromLocalInput('not a time')).toBeNull();
  });

  it('asks for the unit and period, then moves the dot and marks the incident with the slider', async () => {
    invoke.mockImplementation(async (cmd: string, args: Record<string, unknown>) => {
      if (cmd === 'map_view') return { islands: { type: 'FeatureCollection', features: [] } };
      if (cmd === 'unit_track') return { ...track, unit: args.unit };
      throw new Error(`unexpected ${cmd}`);
    });
    const units = [{ id: 'u_changbai', name_zh: '长白01', name_en: 'Changbai 01' }];
    render(TrackReplay, { units, typeLabel: (id: string) => ({ fight: '打架斗殴' })[id] ?? id, now: T0 + 3600 });
    const select = screen.getByTestId('track-unit') as HTMLSelectElement;
    await fireEvent.change(select, { target: { value: 'u_changbai' } });
    await fireEvent.click(screen.getByTestId('track-load'));
    await vi.waitFor(() => expect(screen.getByTestId('track-count').textContent).toContain('3'));
    const [, args] = invoke.mock.calls.find(([c]) => c === 'unit_track') as [string, { unit: string; from: number; to: number }];
    expect(args.unit).toBe('u_changbai');
    expect(args.to - args.from).toBe(86_400);
    const dot = () => screen.getByTestId('track-dot');
    expect(Number(dot().getAttribute('data-lon'))).toBeCloseTo(122.0);
    await fireEvent.input(screen.getByTestId('track-slider'), { target: { value: String(T0 + 150) } });
    await vi.waitFor(() => expect(Number(dot().getAttribute('data-lat'))).toBeCloseTo(30.05));
    expect(screen.getByTestId('track-now').textContent).toContain('#7 打架斗殴');
    const marked = screen.getAllByTestId('track-incident').filter((c) => c.classList.contains('active'));
    expect(marked.map((c) => c.getAttribute('data-id'))).toEqual(['7']);
  });

  it('shows a refusal in place', async () => {
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'map_view') return { islands: { type: 'FeatureCollection', features: [] } };
      throw { kind: 'forbidden', message: 'ann (dispatcher) may not view reports' };
    });
    render(TrackReplay, { units: [{ id: 'u1', name_zh: 'u1', name_en: 'u1' }], typeLabel: (id: string) => id });
    await fireEvent.change(screen.getByTestId('track-unit'), { target: { value: 'u1' } });
    await fireEvent.click(screen.getByTestId('track-load'));
    await vi.waitFor(() => expect(screen.getByTestId('track-error').textContent).toContain('may not view reports'));
  });
});
