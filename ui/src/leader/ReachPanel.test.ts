import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { IslandReach, RosterSummary } from '../ipc/types';
import ReachPanel from './ReachPanel.svelte';
import { minutes, pairedReach, reachBand, withinShare } from './reach';

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }));
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

const island = (id: string, eta_s: number | null, mode: IslandReach['mode'], within: boolean, carrier?: string): IslandReach => ({
  island: id, name_zh: id, name_en: id, place: `${id}_village`, eta_s, mode, unit: eta_s == null ? null : 'u1', carrier,
  target_s: eta_s == null ? null : 2700, within_target: within,
});
const night = [island('zhoushan', 300, 'road', true), island('damao', 2540, 'boat', true), island('cezi', 27000, 'ferry', false), island('far', null, null, false)];
const fewer = [island('zhoushan', 400, 'road', true), island('damao', 2600, 'carried', true, 'boat_01'), island('cezi', 27000, 'ferry', false), island('far', null, null, false)];
const rosters = [{ id: 2, label: '夜班方案' }] as RosterSummary[];

describe('reach helpers', () => {
  it('bands islands within, beyond target or unreached, and lists the bad ones first', () => {
    expect(night.map(reachBand)).toEqual(['within', 'within', 'beyond', 'none']);
    expect(reachBand(undefined)).toBe('none');
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
    invoke.mockImplementation(async (cmd: string, args: { request: { roster: number | null } }) => {
      if (cmd !== 'reach') return undefined;
      return args.request.roster == null ? night : fewer;
    });
  });

  it('asks the core for both rosters at the hour and wind, and colours each island', async () => {
    render(ReachPanel, { rosters, islandName: (_id: string, fallback: string) => fallback });
    await fireEvent.input(screen.getByTestId('reach-wind'), { target: { value: '8' } });
    await fireEvent.change(screen.getByTestId('reach-b'), { target: { value: '2' } });
    await fireEvent.click(screen.getByTestId('reach-run'));
    await waitFor(() => expect(screen.getAllByTestId('reach-row')).toHaveLength(4));
    expect(invoke).toHaveBeenCalledWith('reach', {
      request: { at: '2026-10-14T02:00', priority: 1, conditions: { wind_force: 8, visibility_m: null, closed: [] }, roster: null },
    });
    expect(invoke).toHaveBeenCalledWith('reach', expect.objectContaining({ request: expect.objectContaining({ roster: 2 }) }));
    const rows = screen.getAllByTestId('reach-row');
    expect(rows.map((r) => r.dataset.island)).toEqual(['cezi', 'far', 'zhoushan', 'damao']);
    const bands = screen.getAllByTestId('reach-eta').map((e) => e.dataset.band);
    expect(bands).toEqual(['beyond', 'beyond', 'none', 'none', 'within', 'within', 'within', 'within']);
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
