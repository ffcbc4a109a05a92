import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18n } from '../i18n/index.svelte';
import type { DemandView, PlanStatus, RosterView } from '../ipc/types';

const calls: { cmd: string; args: unknown }[] = [];
let handlers: Record<string, (args: any) => unknown> = {};
let planListener: ((e: { payload: PlanStatus }) => void) | undefined;

vi.mock('@tauri-apps/api/core', () => ({
  invoke: async (cmd: string, args: unknown) => {
    calls.push({ cmd, args });
    const h = handlers[cmd];
    if (!h) throw { kind: 'ipc', message: `no handler for ${cmd}` };
    return h(args);
  },
}));
vi.mock('@tauri-apps/api/event', () => ({
  listen: async (_name: string, fn: (e: { payload: PlanStatus }) => void) => {
    planListener = fn;
    return () => {};
  },
}));

import LeaderScreen from './LeaderScreen.svelte';

const need = { traffic: 1, station: 1, total: 2, floor_traffic: 1, floor_station: 1 };
const hours = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    calls_traffic: i % 24 > 8 ? 0.6 : 0.1,
    calls_station: 0.3,
    handling_traffic_min: 40,
    handling_station_min: 50,
    erlang_traffic: 1,
    erlang_station: 1,
    erlang_total: 1,
    need,
  }));

const demand: DemandView = {
  notes: { history_from: '2026-09-07', history_to: '2026-11-01', calls_used: 2345, calls_skipped: 12, calls_redirected: 30, hub: 'zhoushan' },
  days: [
    { date: '2026-11-02', day_type: 'weekday', peak: false, season_factor: 1, label: null },
    { date: '2026-11-03', day_type: 'holiday', peak: true, season_factor: 1, label: '测试节' },
  ],
  islands: [{ island: 'cezi', name: 'Cezi Island', outlying: true, covers: [], hours: hours(48) }],
  peak_factor: 1.5,
  target_wait_probability: 0.2,
  min_calls_per_hour: 0.05,
  floor: { traffic: 1, station: 1, start_hour: 7, end_hour: 23 },
};

const cover = { hours: 48, need_traffic: 32, need_station: 32, need_total: 64, met_traffic: 32, met_station: 30, traffic_pct: 100, station_pct: 93.8, coverage_pct: 96.9, under_hours: 2, over_hours: 5, on_duty_hours: 67, floor_hours: 32, floor_short_hours: 2 };
// A partial roster view (only what the screen reads); the core sends the whole roster.
const rosterView = {
  summary: { id: 1, label: '#1 2026-11-02 +2d', by: 'li', made_at: '2026-11-01T00:00:00Z', from: '2026-11-02', days: 2, shifts: 1, coverage_pct: 96.9, stopped: false, published_seq: null },
  start_utc: '2026-11-01T16:00:00Z',
  roster: {
    region: 'dinghai',
    time_zone: 'Asia/Shanghai',
    period: { from: '2026-11-02', days: 2 },
    days: demand.days,
    templates: [{ id: 'E07', start_hour: 7, hours: 8 }],
    officers: [{ id: 'off_9', name: '陈志强', skills: 'both', home_island: 'cezi', unit: null, contract_hours_per_week: 40 }],
    demand: demand.islands,
    assignments: [{ officer: 'off_9', day: 0, template: 'E07', island: 'cezi', start: '2026-11-01T23:00:00Z', end: '2026-11-02T07:00:00Z' }],
  },
  report: {
    days: 2, peak_days: 1, officers: 1, shifts: 1, all: cover, ordinary: cover, peak: cover, overtime_hours: 0, requests: 0, requests_honoured: 0,
    islands: [{ island: 'cezi', name: 'Cezi Island', outlying: true, officers: 1, all: cover, ordinary: cover, peak: cover, fairness: { officers: 1, hours_min: 8, hours_max: 8, hours_spread: 0, nights_spread: 0, holiday_shifts_spread: 0 }, borrowed_shifts: 0 }],
    solver_status: 'optimal', objective: 12, gap_pct: 0, gap_part: null, solve_seconds: 3.2,
  },
  hourly: [
    {
      island: 'cezi',
      name: 'Cezi Island',
      hours: Array.from({ length: 48 }, (_, i) => ({ on_traffic: 1, on_station: 1, on_total: 1, need, under: i === 20 ? 1 : 0, floor_short: i === 21 })),
    },
  ],
  violations: [],
} as unknown as RosterView;

// jsdom has no canvas; ECharts (SVG renderer) then estimates text widths itself.
HTMLCanvasElement.prototype.getContext = (() => null) as typeof HTMLCanvasElement.prototype.getContext;

describe('LeaderScreen', () => {
  beforeEach(() => {
    calls.length = 0;
    planListener = undefined;
    handlers = {
      map_view: () => ({ islands: { type: 'FeatureCollection', features: [{ properties: { id: 'cezi', name_zh: '册子岛', name_en: 'Cezi' } }] } }),
      roster_demand: () => demand,
      plan_status: () => ({ status: null, latest: null, error: null }),
      session_rosters: () => [],
    };
  });
  afterEach(() => i18n.set('zh-CN'));

  it('shows the demand curve and explains where it comes from', async () => {
    render(LeaderScreen);
    const notes = await screen.findByTestId('demand-notes');
    expect(notes.textContent).toContain('2345');
    expect(notes.textContent).toContain('Erlang C');
    expect(notes.textContent).toContain('测试节');
    expect((await screen.findByTestId('demand-island')).textContent).toContain('册子岛');
    expect(screen.getByTestId('demand-chart').getAttribute('data-hours')).toBe('48');
    expect(screen.getByTestId('demand-chart').getAttribute('data-peaks')).toBe('1');
  });

  it('sends the tourist-season factor with the period', async () => {
    render(LeaderScreen);
    await screen.findByTestId('demand-notes');
    await fireEvent.input(screen.getByTestId('season-factor'), { target: { value: '1.6' } });
    await waitFor(() => {
      const demands = calls.filter((c) => c.cmd === 'roster_demand');
      const last = demands[demands.length - 1]?.args as { request: { seasons: { factor: number }[] } };
      expect(last.request.seasons[0]?.factor).toBe(1.6);
    });
  });

  it('plans, shows progress, then the roster timeline and report', async () => {
    handlers.start_plan = () => ({ running: true, stopping: false, elapsed_s: 0, time_limit_s: 20, progress: null, error: null });
    render(LeaderScreen);
    await screen.findByTestId('demand-notes');
    await fireEvent.input(screen.getByTestId('plan-days'), { target: { value: '2' } });
    await fireEvent.input(screen.getByTestId('plan-time-limit'), { target: { value: '20' } });
    await fireEvent.click(screen.getByTestId('plan-start'));
    await waitFor(() => expect(calls.some((c) => c.cmd === 'start_plan')).toBe(true));
    const req = (calls.find((c) => c.cmd === 'start_plan')!.args as { request: { days: number; time_limit_s: number } }).request;
    expect(req.days).toBe(2);
    expect(req.time_limit_s).toBe(20);

    planListener!({ payload: { running: true, stopping: false, elapsed_s: 10, time_limit_s: 20, progress: { part: 'zhoushan', index: 5, parts: 10, mip: null }, error: null } });
    await waitFor(() => expect(screen.getByTestId('plan-progress').getAttribute('data-fraction')).toBe('0.500'));
    expect(screen.getByTestId('plan-status-text').textContent).toContain('zhoushan');
    expect((screen.getByTestId('plan-stop') as HTMLButtonElement).disabled).toBe(false);

    handlers.plan_status = () => ({ status: { running: false, stopping: false, elapsed_s: 12, time_limit_s: 20, progress: null, error: null }, latest: 1, error: null });
    handlers.session_rosters = () => [rosterView.summary];
    handlers.roster_view = () => rosterView;
    planListener!({ payload: { running: false, stopping: false, elapsed_s: 12, time_limit_s: 20, progress: null, error: null } });

    const timeline = await screen.findByTestId('roster-timeline');
    expect(screen.getAllByTestId('shift-bar')).toHaveLength(1);
    expect(timeline.querySelectorAll('[data-level="under"]').length).toBe(1);
    expect(timeline.querySelectorAll('[data-level="floor"]').length).toBe(1);
    expect(screen.getByTestId('report-coverage').textContent).toContain('96.9%');
    expect(screen.getByTestId('report-check').textContent).toContain('全部满足');
    expect(screen.getByTestId('print-roster').textContent).toContain('E07 07–15');
    expect(screen.getAllByTestId('roster-item')).toHaveLength(1);

    // Publish asks first, then marks the roster published.
    handlers.publish_roster = () => ({ ...rosterView.summary, published_seq: 4242 });
    handlers.session_rosters = () => [{ ...rosterView.summary, published_seq: 4242 }];
    handlers.roster_view = () => ({ ...rosterView, summary: { ...rosterView.summary, published_seq: 4242 } });
    await fireEvent.click(screen.getByTestId('roster-publish'));
    expect(calls.some((c) => c.cmd === 'publish_roster')).toBe(false);
    await fireEvent.click(await screen.findByTestId('publish-confirm-yes'));
    await screen.findByTestId('published-badge');
    expect((calls.find((c) => c.cmd === 'publish_roster')!.args as { id: number }).id).toBe(1);
    expect((screen.getByTestId('roster-publish') as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows the core refusal to a role that may not plan', async () => {
    handlers.start_plan = () => {
      throw { kind: 'forbidden', message: 'wang (dispatcher) may not plan_roster' };
    };
    render(LeaderScreen);
    await screen.findByTestId('demand-notes');
    await fireEvent.click(screen.getByTestId('plan-start'));
    expect((await screen.findByTestId('leader-error')).textContent).toContain('may not plan_roster');
  });
});
