import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fixture from '../fixtures/map_view.json';
import { i18n } from '../i18n/index.svelte';
import type { ConditionsView, MapView } from '../ipc/types';
import ConditionsBar from './ConditionsBar.svelte';

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }));
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

const view = fixture as unknown as MapView;
const calm: ConditionsView = { wind_force: 0, visibility_m: null, closed: [], closed_links: [], boats_in_port: false, set_by: null, set_at: null };

describe('ConditionsBar', () => {
  beforeEach(() => {
    invoke.mockReset();
  });
  afterEach(() => i18n.set('zh-CN'));

  it('shows the conditions, sends a change through set_conditions and shows what the core closed', async () => {
    invoke.mockImplementation(async (cmd: string, args?: { conditions: ConditionsView }) => {
      if (cmd === 'conditions') return calm;
      if (cmd === 'set_conditions') {
        expect(args?.conditions).toEqual({ wind_force: 11, visibility_m: null, closed: [] });
        return {
          ...args!.conditions,
          closed_links: [
            { id: 'b1', kind: 'bridge', reason: { by: 'wind', force: 11, limit: 11 } },
            { id: 'f1', kind: 'ferry', reason: { by: 'wind', force: 11, limit: 8 } },
          ],
          boats_in_port: true,
          set_by: 'wang',
          set_at: Date.UTC(2026, 6, 1, 2, 0, 0) / 1000,
        };
      }
      throw new Error(cmd);
    });
    render(ConditionsBar, { view, current: undefined });
    await waitFor(() => expect(screen.getByText('桥梁航线全部通行')).toBeTruthy());
    await fireEvent.change(screen.getByTestId('cond-wind'), { target: { value: '11' } });
    await waitFor(() => expect(screen.getByTestId('cond-summary').textContent).toContain('1 座桥封闭 · 1 条航线停航'));
    expect(screen.getByText('警艇停港')).toBeTruthy();
    expect(screen.getByTestId('cond-set-by').textContent).toContain('wang 07-01 10:00:00');
    expect(screen.getByTestId('conditions-bar').dataset.suspendedFerries).toBe('1');
  });

  it("shows the core's refusal and keeps the old conditions", async () => {
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'conditions') return calm;
      throw { kind: 'forbidden', message: 'administrator may not dispatch' };
    });
    render(ConditionsBar, { view, current: undefined });
    await waitFor(() => expect((screen.getByTestId('cond-wind') as HTMLSelectElement).disabled).toBe(false));
    await fireEvent.change(screen.getByTestId('cond-wind'), { target: { value: '9' } });
    await waitFor(() => expect(screen.getByTestId('cond-error').textContent).toContain('administrator may not dispatch'));
    expect(screen.getByTestId('conditions-bar').dataset.wind).toBe('0');
    expect((screen.getByTestId('cond-wind') as HTMLSelectElement).value).toBe('0');
  });

  it('closes links by hand from the pack list (C)', async () => {
    invoke.mockImplementation(async (cmd: string, args?: { conditions: ConditionsView }) => {
      if (cmd === 'conditions') return calm;
      return { ...calm, ...args!.conditions, closed_links: [{ id: 'b1', kind: 'bridge', reason: { by: 'hand' } }] };
    });
    render(ConditionsBar, { view, current: undefined });
    await waitFor(() => expect((screen.getByTestId('cond-closures') as HTMLButtonElement).disabled).toBe(false));
    await fireEvent.keyDown(window, { key: 'c' });
    const box = screen.getAllByTestId('closure').find((b) => b.dataset.id === 'b1')!;
    await fireEvent.click(box);
    await fireEvent.click(screen.getByTestId('closures-apply'));
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('set_conditions', { conditions: { wind_force: 0, visibility_m: null, closed: ['b1'] } }));
    await waitFor(() => expect(screen.getByTestId('cond-closures').textContent).toContain('1'));
  });
});
