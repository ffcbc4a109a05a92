import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import fixture from '../fixtures/map_view.json';
import { tip } from '../fixtures/tips';
import type { IncidentType, MapView, QueuedTip } from '../ipc/types';
import { operator } from '../login/session.svelte';
import TipsPanel from './TipsPanel.svelte';

const view = fixture as unknown as MapView;
const types: IncidentType[] = [
  { id: 'congestion', name_zh: '交通拥堵', name_en: 'Congestion', unit_kinds: [], default_priority: 3, boat_fallback: 'never' },
  { id: 'dispute', name_zh: '纠纷', name_en: 'Dispute', unit_kinds: [], default_priority: 3, boat_fallback: 'never' },
];
const now = Math.floor(Date.now() / 1000);
const JPEG = 'data:image/jpeg;base64,/9j/4A==';

function queue(): QueuedTip[] {
  return [
    tip({ id: 1, received_utc: now - 600, text: '<img src=x onerror=alert(1)>堵死了', photo_url: '/api/tips/1/photo', group_size: 2 }),
    tip({ id: 2, received_utc: now - 120, group_id: 1, group_size: 2, text: '还在堵' }),
    tip({ id: 3, received_utc: now - 30, category: 'public_order', lon: null, lat: null, position_from: 'island', text: '有人吵架' }),
  ];
}

describe('TipsPanel', () => {
  beforeEach(() => {
    invoke.mockReset();
  });
  afterEach(() => {
    operator.service = null;
  });

  it('on a desk of its own says tips come through the service and asks nothing', async () => {
    operator.service = null;
    render(TipsPanel, { view, types, picked: undefined, open: true, onIncident: () => {} });
    expect(screen.getByTestId('tips-local').textContent).toContain('只经指挥中心服务到达');
    await new Promise((r) => setTimeout(r, 20));
    expect(invoke).not.toHaveBeenCalled();
  });

  it('lists groups new first with their age, shows the photo and the tipper’s words as text', async () => {
    operator.service = { url: 'https://centre:8640', seat: 'centre' };
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'tips_queue') return queue();
      if (cmd === 'tip_photo') return { data_url: JPEG };
      throw new Error(`unexpected ${cmd} ${JSON.stringify(invoke.mock.lastCall)}`);
    });
    render(TipsPanel, { view, types, picked: undefined, open: true, onIncident: () => {} });
    await vi.waitFor(() => expect(screen.getAllByTestId('tip-row')).toHaveLength(2));
    const rows = screen.getAllByTestId('tip-row');
    expect(rows.map((r) => r.dataset.id)).toEqual(['3', '1']);
    expect(rows[1].dataset.size).toBe('2');
    expect(rows[1].querySelector('[data-testid="tip-age"]')?.textContent).toBe('2 分钟前');
    await fireEvent.click(rows[1]);
    await vi.waitFor(() => expect(screen.getByTestId('tip-photo').getAttribute('src')).toBe(JPEG));
    expect(invoke).toHaveBeenCalledWith('tip_photo', { id: 1 });
    const said = screen.getAllByTestId('tip-text');
    expect(said[0].textContent).toContain('<img src=x onerror=alert(1)>');
    expect(screen.getByTestId('tip-detail').querySelector('img[src="x"]')).toBeNull();
  });

  it('makes an incident with the intake prefilled from the tip and hands it to the recommendation', async () => {
    operator.service = { url: 'https://centre:8640', seat: 'centre' };
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'tips_queue') return queue();
      if (cmd === 'tip_photo') return { data_url: JPEG };
      if (cmd === 'tip_to_incident') return { tips: [1, 2], seq: 40, incident_id: 17 };
      throw new Error(`unexpected ${cmd} ${JSON.stringify(invoke.mock.lastCall)}`);
    });
    const onIncident = vi.fn();
    render(TipsPanel, { view, types, picked: undefined, open: true, onIncident, selectedId: 2 });
    await vi.waitFor(() => screen.getByTestId('tip-detail'));
    await fireEvent.click(screen.getByTestId('tip-make'));
    expect((screen.getByTestId('tip-type') as HTMLSelectElement).value).toBe('congestion');
    expect(screen.getByTestId('tip-place').textContent).toContain('122.10000');
    await fireEvent.input(screen.getByTestId('tip-text-edit'), { target: { value: '  路口拥堵  ' } });
    await fireEvent.submit(screen.getByTestId('tip-make-form'));
    await vi.waitFor(() => expect(onIncident).toHaveBeenCalledWith(17));
    expect(invoke).toHaveBeenCalledWith('tip_to_incident', {
      id: 1,
      ask: { incident_type: 'congestion', priority: 3, lon: 122.1, lat: 30.0, text: '路口拥堵' },
    });
    expect(screen.getByTestId('tips-done').textContent).toContain('#17');
  });

  it('takes the map’s click for a tip without a place, passes on and closes with the reply', async () => {
    operator.service = { url: 'https://centre:8640', seat: 'centre' };
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'tips_queue') return queue();
      if (cmd === 'tip_pass_on' || cmd === 'tip_close') return { tips: [3], seq: 41, incident_id: null };
      throw new Error(`unexpected ${cmd} ${JSON.stringify(invoke.mock.lastCall)}`);
    });
    const { rerender } = render(TipsPanel, { view, types, picked: undefined, open: true, onIncident: () => {}, selectedId: 3 });
    await vi.waitFor(() => screen.getByTestId('tip-detail'));
    await fireEvent.click(screen.getByTestId('tip-make'));
    expect(screen.getByTestId('tip-noplace')).toBeTruthy();
    expect((screen.getByTestId('tip-make-submit') as HTMLButtonElement).disabled).toBe(true);
    await rerender({ picked: [122.2, 30.05] });
    await vi.waitFor(() => expect(screen.getByTestId('tip-place').textContent).toContain('122.20000'));

    await fireEvent.click(screen.getByTestId('tip-pass'));
    expect((screen.getByTestId('tip-pass-station') as HTMLInputElement).checked).toBe(true);
    await fireEvent.input(screen.getByTestId('tip-pass-note'), { target: { value: '请派出所核实' } });
    await fireEvent.submit(screen.getByTestId('tip-pass-form'));
    await vi.waitFor(() => expect(invoke).toHaveBeenCalledWith('tip_pass_on', { id: 3, to: 'station', note: '请派出所核实' }));

    await fireEvent.click(screen.getByTestId('tip-close'));
    expect((screen.getByTestId('tip-close-submit') as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.input(screen.getByTestId('tip-reply'), { target: { value: '已处理，谢谢' } });
    await fireEvent.submit(screen.getByTestId('tip-close-form'));
    await vi.waitFor(() => expect(invoke).toHaveBeenCalledWith('tip_close', { id: 3, reply: '已处理，谢谢' }));
    expect(screen.getByTestId('tips-done').textContent).toContain('回复已发给群众');
  });

  it('shows the service’s refusal in place', async () => {
    operator.service = { url: 'https://centre:8640', seat: 'centre' };
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'tips_queue') return queue();
      if (cmd === 'tip_close') throw { kind: 'invalid_input', message: 'tip: tip 3 is closed already', field: 'tip' };
      throw new Error(`unexpected ${cmd} ${JSON.stringify(invoke.mock.lastCall)}`);
    });
    render(TipsPanel, { view, types, picked: undefined, open: true, onIncident: () => {}, selectedId: 3 });
    await vi.waitFor(() => screen.getByTestId('tip-detail'));
    await fireEvent.click(screen.getByTestId('tip-close'));
    await fireEvent.input(screen.getByTestId('tip-reply'), { target: { value: '好' } });
    await fireEvent.submit(screen.getByTestId('tip-close-form'));
    await vi.waitFor(() => expect(screen.getByTestId('tips-error').textContent).toContain('closed already'));
  });
});
