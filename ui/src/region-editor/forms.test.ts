import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18n } from '../i18n/index.svelte';
import type { EditorBridge, Timetable } from '../ipc/types';
import { place } from './fixtures';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args) }));

import PlaceForm from './PlaceForm.svelte';
import TimetableForm from './TimetableForm.svelte';
import LinkForm from './LinkForm.svelte';


describe('region editor forms', () => {
  beforeEach(() => {
    invoke.mockReset();
    i18n.set('en');
  });
  afterEach(() => i18n.set('zh-CN'));

  it('saves a moved place as one move edit and reports the change', async () => {
    invoke.mockResolvedValue({ outcome: 'saved', seq: 7, file: 'places.csv', row: 'chengdong', change: 'moved' });
    const onSaved = vi.fn();
    render(PlaceForm, { place, lon: 122.125, lat: 30.018, onSaved });
    // The kind in words, not its id.
    expect(screen.getByTestId('place-kind').textContent).toBe('Town');
    const save = screen.getByTestId('save') as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    await fireEvent.input(screen.getByTestId('field-lon'), { target: { value: '122.1215' } });
    expect(save.disabled).toBe(false);
    await fireEvent.click(save);
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith('moved'));
    expect(invoke).toHaveBeenCalledTimes(1);
    expect(invoke).toHaveBeenCalledWith('edit_region', { edit: { kind: 'move_place', place: 'chengdong', lon: 122.1215, lat: 30.018 } });
  });

  it('shows a refused move next to the coordinates, and the pack-wide problems on top', async () => {
    invoke.mockResolvedValue({
      outcome: 'refused',
      problems: [
        {
          field: 'lon',
          index: null,
          message: "place 'chengdong' lies 8248 m off its island 'zhoushan'",
          at: 'places.csv:4',
          kind: 'off_island',
          params: { place: 'chengdong', island: 'zhoushan', distance_m: 8248, tolerance_m: 500 },
        },
        { field: null, index: null, message: 'road graph is not connected', at: 'roads.csv', kind: null, params: {} },
      ],
    });
    const onSaved = vi.fn();
    render(PlaceForm, { place, lon: 122.2, lat: 29.9, onSaved });
    await fireEvent.click(screen.getByTestId('save'));
    const position = await screen.findByTestId('problem-position');
    // Worded in the operator's language from the kind, the loader's message underneath.
    expect(position.textContent).toContain('This spot is in the sea: 8248 m off its island, zhoushan (at most 500 m allowed)');
    expect(position.textContent).toContain("lies 8248 m off its island 'zhoushan'");
    expect(position.textContent).toContain('places.csv:4');
    expect(screen.getByTestId('problems-general').textContent).toContain('road graph');
    expect(screen.queryByTestId('problem-name_zh')).toBeNull();
    expect(onSaved).not.toHaveBeenCalled();
  });

  it('edits a timetable: adds and removes departures, puts a bad one’s error on its row', async () => {
    const timetables: Timetable[] = [
      { from: 'pier_dinghai', day_type: 'weekday', departures: ['06:00', '06:30'] },
      { from: 'pier_dinghai', day_type: 'weekend', departures: [] },
      { from: 'pier_panzhi', day_type: 'weekday', departures: ['06:15'] },
    ];
    invoke.mockResolvedValue({
      outcome: 'refused',
      problems: [{ field: 'depart', index: 1, message: "depart '7:5' is not HH:MM", at: 'sailings.csv:3', kind: 'not_hhmm', params: { value: '7:5' } }],
    });
    render(TimetableForm, { route: 'ferry_dinghai_panzhi', piers: ['pier_dinghai', 'pier_panzhi'], timetables, onSaved: vi.fn() });
    expect((screen.getByTestId('departure-1') as HTMLInputElement).value).toBe('06:30');
    await fireEvent.click(screen.getByTestId('remove-departure-1'));
    await fireEvent.click(screen.getByTestId('add-departure'));
    await fireEvent.input(screen.getByTestId('departure-1'), { target: { value: '7:5' } });
    await fireEvent.click(screen.getByTestId('save-timetable'));
    expect(invoke).toHaveBeenCalledWith('edit_region', {
      edit: { kind: 'set_timetable', route: 'ferry_dinghai_panzhi', from: 'pier_dinghai', day_type: 'weekday', departures: ['06:00', '7:5'] },
    });
    const problem = await screen.findByTestId('problem-departure-1');
    expect(problem.textContent).toContain('Departure “7:5” is not HH:MM');
    expect(problem.textContent).toContain("depart '7:5' is not HH:MM");
    expect(screen.queryByTestId('problem-departure-0')).toBeNull();
  });

  it('closes a bridge with a reason', async () => {
    invoke.mockResolvedValue({ outcome: 'saved', seq: 9, file: 'bridges.csv', row: 'zhoudai_south', change: 'closed: works' });
    const onSaved = vi.fn();
    const bridge: EditorBridge = {
      id: 'zhoudai_south',
      name_zh: '舟岱大桥南',
      name_en: 'Zhoudai South',
      from: 'a',
      to: 'b',
      class: 'bridge',
      length_m: 1000,
      time: 60,
      opened: null,
      close_wind_force: 10,
      status: 'open',
      source: 's',
      confidence: 'estimate',
    };
    render(LinkForm, { link: bridge, onSaved });
    await fireEvent.click(screen.getByTestId('field-closed'));
    await fireEvent.input(screen.getByTestId('field-closed_reason'), { target: { value: 'works' } });
    await fireEvent.click(screen.getByTestId('save-status'));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith('closed: works'));
    expect(invoke).toHaveBeenCalledWith('edit_region', { edit: { kind: 'set_link_status', link: 'zhoudai_south', closed: true, reason: 'works' } });
    expect(screen.queryByTestId('timetable-form')).toBeNull();
  });
});
