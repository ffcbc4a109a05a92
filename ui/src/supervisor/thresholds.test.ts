// The board-thresholds form: minutes ↔ the core's seconds, boxes that are not numbers,
// the core's refusal placed at its field; and the section against a mocked core.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { BoardThresholds, BoardThresholdsView } from '../ipc/types';
import { DEFAULTS } from '../fixtures/thresholds';
import { fromForm, minutes, problemsFrom, seconds, toForm } from './thresholds';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import ThresholdsSection from './BoardThresholds.svelte';

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('the thresholds form', () => {
  it('shows seconds as minutes and reads minutes back as whole seconds', () => {
    expect([minutes(60), minutes(90), minutes(80), minutes(3600)]).toEqual(['1', '1.5', '1.33', '60']);
    expect([seconds('1.5'), seconds(' 2 '), seconds('0,25'), seconds('.5')]).toEqual([90, 120, 15, 30]);
    expect([seconds(''), seconds('abc'), seconds('-1'), seconds('1e3')]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('round-trips the core table (whole minutes and halves exactly)', () => {
    const f = toForm(DEFAULTS);
    expect(f.received[1]).toEqual({ amber: '1.5', red: '3' });
    expect(f.modes.boat).toEqual({ turnout: { amber: '5', red: '10' }, red_pct: '150' });
    const back = fromForm(f);
    expect(back.problems).toEqual({});
    // 80 s shows as 1.33 min and comes back as 80 s.
    expect(back.thresholds).toEqual(DEFAULTS);
  });

  it('names every box that is not a number and sends nothing', () => {
    const f = toForm(DEFAULTS);
    f.received[0].amber = '';
    f.modes.ferry.red_pct = '150.5';
    const { thresholds, problems } = fromForm(f);
    expect(thresholds).toBeUndefined();
    expect(Object.keys(problems).sort()).toEqual(['received.p1', 'route_modes.ferry.en_route_red_pct']);
    expect(problems['received.p1'].key).toBe('thr.err.number');
  });

  it("places the core's refusal at its field, in the UI's words when known", () => {
    expect(problemsFrom({ kind: 'invalid_input', field: 'received.p1', message: 'received.p1: amber must be under red' })).toEqual({
      'received.p1': { key: 'thr.err.order', message: 'amber must be under red' },
    });
    // Without `field` the message's prefix says where.
    expect(
      problemsFrom({ kind: 'invalid_input', message: 'route_modes.boat.en_route_red_pct: red must be over 100 % of the ETA (amber) and at most 1000 %' }),
    ).toEqual({
      'route_modes.boat.en_route_red_pct': { key: 'thr.err.pct', message: 'red must be over 100 % of the ETA (amber) and at most 1000 %' },
    });
    expect(problemsFrom({ kind: 'forbidden', message: 'wang (dispatcher) may not configure_board' })).toEqual({});
  });
});

describe('the section', () => {
  let current: BoardThresholdsView;
  beforeEach(() => {
    invoke.mockReset();
    current = { thresholds: clone(DEFAULTS), defaults: clone(DEFAULTS), set_by: null, set_at: null };
    invoke.mockImplementation(async (cmd: string, args: { thresholds: BoardThresholds }) => {
      if (cmd === 'board_thresholds') return current;
      if (cmd === 'set_board_thresholds') {
        const t = args.thresholds;
        if (t.received[0].amber_s >= t.received[0].red_s)
          throw { kind: 'invalid_input', field: 'received.p1', message: 'received.p1: amber must be under red' };
        current = { ...current, thresholds: t, set_by: 'li', set_at: 1_780_000_000 };
        return current;
      }
      throw { kind: 'ipc', message: `unexpected ${cmd}` };
    });
  });

  it('saves a changed threshold in seconds and says who set it', async () => {
    render(ThresholdsSection, { editable: true });
    const amber = (await screen.findByTestId('thr-received-p1-amber')) as HTMLInputElement;
    expect(amber.value).toBe('1');
    expect(screen.getByTestId('thr-set-by').textContent).toContain('尚未设定');
    await fireEvent.input(amber, { target: { value: '0.5' } });
    await fireEvent.input(screen.getByTestId('thr-boat-turnout-red'), { target: { value: '12' } });
    await fireEvent.click(screen.getByTestId('thr-save'));
    await screen.findByTestId('thr-saved');
    const sent = invoke.mock.calls.find((c) => c[0] === 'set_board_thresholds')![1].thresholds as BoardThresholds;
    expect(sent.received[0]).toEqual({ amber_s: 30, red_s: 120 });
    expect(sent.route_modes.boat.turnout).toEqual({ amber_s: 300, red_s: 720 });
    expect(screen.getByTestId('thr-set-by').textContent).toContain('li');
  });

  it("says when in the region's time zone", async () => {
    current = { ...current, set_by: 'li', set_at: 1_780_000_000 }; // 2026-05-28 20:26:40 UTC
    render(ThresholdsSection, { editable: true, timeZone: 'Asia/Shanghai' });
    await waitFor(() => expect(screen.getByTestId('thr-set-by').textContent).toContain('li 于 05-29 04:26:40 设定'));
  });

  it("shows the core's refusal at the field and keeps what was typed", async () => {
    render(ThresholdsSection, { editable: true });
    const amber = (await screen.findByTestId('thr-received-p1-amber')) as HTMLInputElement;
    await fireEvent.input(amber, { target: { value: '5' } });
    await fireEvent.click(screen.getByTestId('thr-save'));
    const problem = await screen.findByTestId('thr-problem');
    expect(problem.dataset.field).toBe('received.p1');
    expect(problem.textContent).toContain('P1');
    expect(problem.textContent).toContain('黄色阈值须小于红色阈值');
    expect(amber.getAttribute('aria-invalid')).toBe('true');
    expect(amber.value).toBe('5');
    expect(screen.queryByTestId('thr-saved')).toBeNull();
  });

  it('refuses a box that is not a number without asking the core', async () => {
    render(ThresholdsSection, { editable: true });
    await fireEvent.input(await screen.findByTestId('thr-ferry-red-pct'), { target: { value: 'lots' } });
    await fireEvent.click(screen.getByTestId('thr-save'));
    await waitFor(() => expect(screen.getByTestId('thr-problem').dataset.field).toBe('route_modes.ferry.en_route_red_pct'));
    expect(invoke.mock.calls.some((c) => c[0] === 'set_board_thresholds')).toBe(false);
  });

  it('is read-only for a role that may not set it', async () => {
    render(ThresholdsSection, { editable: false });
    expect(((await screen.findByTestId('thr-received-p1-amber')) as HTMLInputElement).disabled).toBe(true);
    expect(screen.queryByTestId('thr-save')).toBeNull();
  });
});
