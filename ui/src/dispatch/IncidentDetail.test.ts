import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Board, JournalEvent, ReassignOption, UnitStatus } from '../ipc/types';
import IncidentDetail from './IncidentDetail.svelte';

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }));
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

const board: Board = {
  at: 0,
  incidents: [
    { id: 3, state: 'dispatched', incident_type: 'fight', priority: 1, island: 'big', lon: 122.1, lat: 30.02, unit: 'u1', since_s: 30, level: 'ok', route_mode: 'road', eta_s: 300, board_mode: 'road', amber_s: 60, red_s: 120 },
  ],
  units: [
    { unit: 'u1', call_sign: 'S1', kind: 'station', status: 'dispatched', island: 'big', position: 'p_u1', lon: 122.1, lat: 30.02, incident: 3, since_s: 20 },
    { unit: 'u2', call_sign: 'T1', kind: 'traffic', status: 'en_route', island: 'big', position: 'p_u2', lon: 122.1, lat: 30.02, incident: 9, since_s: 20 },
  ],
};
const events: JournalEvent[] = [
  { seq: 10, incident_id: 3, at_utc: 1782871200, recorded_utc: 1782871200, operator: 'wang', body: { kind: 'received', incident_type: 'fight', priority: 1, text: '' } },
  { seq: 11, incident_id: 3, at_utc: 1782871230, recorded_utc: 1782871230, operator: 'wang', body: { kind: 'dispatched', unit: 'u1', plan: { eta_s: 300, recommended_unit: 'u1' }, override_reason: null } },
];
const option = (unit: string, call_sign: string, status: UnitStatus, incident: number | null, eta_s: number): ReassignOption => ({
  unit, call_sign, kind: 'station', island: 'big', eta_s, route_mode: 'road', target_s: null, legs: [], warnings: [], status, incident,
  from: { basis: 'last_known', place: 'base', place_zh: '基地', place_en: 'Base', afloat: false },
});

function props(extra = {}) {
  return { id: 3, timeZone: 'Asia/Shanghai', board, typeName: (id: string) => (id === 'fight' ? '打架斗殴' : id), islandName: (id: string) => id, placeName: (id: string) => (id === 'p_u2' ? '定海站' : id), onClose: vi.fn(), onChanged: vi.fn(), ...extra };
}

describe('IncidentDetail', () => {
  beforeEach(() => {
    invoke.mockReset();
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'timeline') return events;
      if (cmd === 'reassign_options') {
        const busy = option('u2', 'T1', 'en_route', 9, 250);
        busy.legs = [{ mode: 'drive', from: 'p_u2', to: 'incident', start: '2026-07-01T10:00:00+08:00', seconds: 250, path: [] }];
        return [option('u3', 'J1', 'available', null, 200), busy];
      }
      return { seq: 99 };
    });
  });

  it('shows the whole timeline with times in the region zone, operators and words', async () => {
    render(IncidentDetail, props());
    await waitFor(() => expect(screen.getAllByTestId('timeline-event')).toHaveLength(2));
    const rows = screen.getAllByTestId('timeline-event').map((r) => r.textContent);
    expect(rows[0]).toContain('10:00:00');
    expect(rows[0]).toContain('wang');
    expect(rows[0]).toContain('接警：打架斗殴 P1');
    expect(rows[1]).toContain('派遣 S1');
  });

  it('reassigns by key to a busy unit, showing its incident, only with a reason', async () => {
    const p = props();
    render(IncidentDetail, p);
    await waitFor(() => expect(screen.getAllByTestId('timeline-event')).toHaveLength(2));
    await fireEvent.keyDown(window, { key: 'r' });
    await waitFor(() => expect(screen.getAllByTestId('reassign-option')).toHaveLength(2));
    expect(screen.getAllByTestId('reassign-option')[1].textContent).toContain('在途 · 警情 #9');
    // The same row as the recommendation list: the route in words under the unit.
    expect(screen.getAllByTestId('reassign-row')[1].textContent).toContain('驾车 定海站 → incident 04:10');
    await fireEvent.keyDown(window, { key: '2' });
    const confirm = screen.getByTestId('reassign-confirm') as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    await fireEvent.input(screen.getByTestId('reassign-reason'), { target: { value: 'closer' } });
    await fireEvent.click(confirm);
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('reassign', { id: 3, unit: 'u2', reason: 'closer' }));
    expect(p.onChanged).toHaveBeenCalled();
  });

  it('reassigns to a crew a boat would carry: crew and boat sent together (#16)', async () => {
    const carried = { ...option('u3', 'J1', 'available', null, 1500), carrier: { unit: 'u5', call_sign: '警艇1' } };
    invoke.mockImplementation(async (cmd: string) =>
      cmd === 'timeline' ? events : cmd === 'reassign_options' ? [option('u3', 'J1', 'available', null, 27000), carried] : { seq: 99 },
    );
    render(IncidentDetail, props());
    await waitFor(() => expect(screen.getAllByTestId('timeline-event')).toHaveLength(2));
    await fireEvent.keyDown(window, { key: 'r' });
    await waitFor(() => expect(screen.getAllByTestId('reassign-option')).toHaveLength(2));
    expect(screen.getAllByTestId('reassign-row')[1].textContent).toContain('警艇1');
    await fireEvent.keyDown(window, { key: '2' });
    await fireEvent.input(screen.getByTestId('reassign-reason'), { target: { value: '夜间无航班' } });
    await fireEvent.click(screen.getByTestId('reassign-confirm'));
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('reassign_carried', { id: 3, unit: 'u3', carrier: 'u5', reason: '夜间无航班' }));
    expect(invoke).not.toHaveBeenCalledWith('reassign', expect.anything());
  });

  it('adds a note and cancels with a reason; Esc closes', async () => {
    const p = props();
    render(IncidentDetail, p);
    await waitFor(() => expect(screen.getAllByTestId('timeline-event')).toHaveLength(2));
    await fireEvent.input(screen.getByTestId('note-text'), { target: { value: '回拨' } });
    await fireEvent.click(screen.getByTestId('note-add'));
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('add_note', { id: 3, text: '回拨' }));
    await fireEvent.keyDown(window, { key: 'x' });
    await fireEvent.input(screen.getByTestId('detail-cancel-reason'), { target: { value: 'duplicate' } });
    await fireEvent.click(screen.getByTestId('detail-cancel-confirm'));
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('cancel_incident', { id: 3, reason: 'duplicate' }));
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(p.onClose).toHaveBeenCalled();
  });
  it('marks the carrying boat back at its base, and offers it only while a boat carries the crew', async () => {
    const carried: Board = { ...board, incidents: [{ ...board.incidents[0], carrier: 'b1' }], units: [...board.units, { ...board.units[1], unit: 'b1', call_sign: 'B1', kind: 'boat', incident: 3 }] };
    const p = props({ board: carried });
    const { unmount } = render(IncidentDetail, p);
    await waitFor(() => expect(screen.getAllByTestId('timeline-event')).toHaveLength(2));
    const back = screen.getByTestId('detail-boat-back');
    expect(back.textContent).toContain('B1');
    await fireEvent.click(back);
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('boat_back', { id: 3 }));
    await waitFor(() => expect(p.onChanged).toHaveBeenCalled());
    unmount();
    render(IncidentDetail, props());
    await waitFor(() => expect(screen.getAllByTestId('timeline-event')).toHaveLength(2));
    expect(screen.queryByTestId('detail-boat-back')).toBeNull();
  });
});
