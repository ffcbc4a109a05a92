import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import fixture from '../fixtures/map_view.json';
import type { Board, Candidate, IncidentType, MapView, Recommendation } from '../ipc/types';
import DispatchPanel from './DispatchPanel.svelte';

const view = fixture as unknown as MapView;
const types: IncidentType[] = [
  { id: 'fight', name_zh: '打架斗殴', name_en: 'Fight', unit_kinds: [], default_priority: 1, boat_fallback: 'police_crew' },
];
const from = { basis: 'last_known', place: 'base', place_zh: '基地', place_en: 'Base', afloat: false } as Candidate['from'];
const candidate = (unit: string, call_sign: string, eta_s: number, carrier?: { unit: string; call_sign: string }): Candidate => ({
  unit, call_sign, kind: 'station', island: 'big', eta_s, route_mode: 'ferry', target_s: 2700, legs: [], warnings: [], from, carrier,
});

/** A crew (大岛交1) carried by the boat 警艇1 on incident 5, as the core's board has it. */
const board: Board = {
  at: 0,
  incidents: [
    { id: 5, state: 'en_route', incident_type: 'fight', priority: 1, island: 'small', lon: 122.05, lat: 29.95, unit: 'u2', since_s: 30, level: 'ok', route_mode: 'ferry', eta_s: 1600, board_mode: 'ferry', amber_s: 600, red_s: 900, carrier: 'u5' },
  ],
  units: [
    { unit: 'u1', call_sign: '大岛1', kind: 'station', status: 'available', island: 'big', position: 'p1', lon: 122.1, lat: 30.02, incident: null, since_s: null },
    { unit: 'u2', call_sign: '大岛交1', kind: 'traffic', status: 'en_route', island: 'big', position: 'p2', lon: 122.1, lat: 30.02, incident: 5, since_s: 30 },
    { unit: 'u5', call_sign: '警艇1', kind: 'boat', status: 'en_route', island: 'big', position: 'p5', lon: 122.1, lat: 30.02, incident: 5, since_s: 30, carrying: 'u2' },
  ],
};
const rec: Recommendation = {
  location: { island: 'small', at_sea: false, snap_m: 10 } as Recommendation['location'],
  incident_type: 'fight',
  priority: 1,
  // The core's order, which the desk keeps: the first unit going alone is within target, so
  // it leads and the carried crew follows.
  candidates: [candidate('u1', '大岛1', 2400), candidate('u3', '大岛联1', 1500, { unit: 'u5', call_sign: '警艇1' })],
  excluded: { ineligible: [], unavailable: [], unreachable: [] },
  warnings: [],
  responders: [{ id: 'cr1', island: 'small', name: '小岛综治干部', role: '村社综治干部', phone: '0580-1', may: ['look', 'calm'] }],
};

function props() {
  return { view, picked: [122.05, 29.95] as [number, number], route: undefined, pin: undefined };
}

describe('DispatchPanel and carried crews (#16)', () => {
  beforeEach(() => {
    invoke.mockReset();
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'incident_types') return types;
      if (cmd === 'board') return board;
      if (cmd === 'receive_incident') return 7;
      if (cmd === 'recommend') return rec;
      return { seq: 42 };
    });
  });

  it('shows on the board the boat carrying the crew', async () => {
    render(DispatchPanel, props());
    await waitFor(() => expect(screen.getByTestId('board-carrier').textContent).toBe('警艇1 运送 大岛交1'));
    expect(screen.getByTestId('board-carrier').dataset.boat).toBe('u5');
  });

  it('assigns a carried row through assign_carried (crew and boat), with a reason', async () => {
    render(DispatchPanel, props());
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('incident_types', undefined));
    await fireEvent.click(screen.getByTestId('intake-submit'));
    await waitFor(() => expect(screen.getAllByTestId('candidate')).toHaveLength(2));
    const rows = screen.getAllByTestId('candidate');
    expect(rows.map((r) => r.dataset.carrier ?? '')).toEqual(['', 'u5']);
    await fireEvent.click(screen.getAllByTestId('assign')[1]);
    await fireEvent.input(screen.getByTestId('override-reason'), { target: { value: '需要陆上警力' } });
    await fireEvent.submit(screen.getByTestId('override-dialog'));
    await waitFor(() =>
      expect(invoke).toHaveBeenCalledWith('assign_carried', { id: 7, unit: 'u3', carrier: 'u5', overrideReason: '需要陆上警力' }),
    );
    expect(invoke).not.toHaveBeenCalledWith('assign', expect.anything());
  });

  it('assigns a carried pair the core recommends with Enter, crew and boat, no reason asked', async () => {
    const alone = candidate('u1', '大岛1', 27000);
    const first = { ...rec, candidates: [candidate('u3', '大岛联1', 1500, { unit: 'u5', call_sign: '警艇1' }), alone] };
    invoke.mockImplementation(async (cmd: string) =>
      cmd === 'incident_types' ? types : cmd === 'board' ? board : cmd === 'receive_incident' ? 7 : cmd === 'recommend' ? first : { seq: 42 },
    );
    render(DispatchPanel, props());
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('incident_types', undefined));
    await fireEvent.click(screen.getByTestId('intake-submit'));
    await waitFor(() => expect(screen.getAllByTestId('candidate')).toHaveLength(2));
    expect(screen.getAllByTestId('candidate').map((r) => r.dataset.carrier ?? '')).toEqual(['u5', '']);
    await fireEvent.keyDown(window, { key: 'Enter' });
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('assign_carried', { id: 7, unit: 'u3', carrier: 'u5', overrideReason: null }));
    expect(screen.queryByTestId('override-dialog')).toBeNull();
  });

  it("calls one of the island's responders, journaled through the core, and says so", async () => {
    render(DispatchPanel, props());
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('incident_types', undefined));
    await fireEvent.click(screen.getByTestId('intake-submit'));
    await waitFor(() => expect(screen.getAllByTestId('responder')).toHaveLength(1));
    expect(screen.getByTestId('responder').textContent).toContain('0580-1');
    await fireEvent.click(screen.getByTestId('call-responder'));
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('call_responder', { id: 7, responder: 'cr1' }));
    await waitFor(() => expect(screen.getByTestId('responder-called').textContent).toContain('已呼叫'));
    expect(screen.queryByTestId('call-responder')).toBeNull();
  });
});
