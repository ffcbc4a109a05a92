// The supervisor's screen against a mocked core: the real dashboard fixture, filters,
// the empty journal, a refused role, exports and the audit result.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import fixture from '../fixtures/dashboard.json';
import type { Dashboard } from '../ipc/types';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));
const charts: { setOption: ReturnType<typeof vi.fn> }[] = [];
vi.mock('./echarts-loader', () => ({
  createChart: async () => {
    const c = { setOption: vi.fn(), resize: vi.fn(), dispose: vi.fn() };
    charts.push(c);
    return c;
  },
}));

import { operator } from '../login/session.svelte';
import type { Role } from '../ipc/types';
import SupervisorScreen from './SupervisorScreen.svelte';
import { DEFAULTS as DEFAULT_THRESHOLDS } from '../fixtures/thresholds';

const dash = fixture as unknown as Dashboard;

globalThis.ResizeObserver ??= class {
  observe() {}
  disconnect() {}
  unobserve() {}
} as unknown as typeof ResizeObserver;

interface Core {
  dashboard?: (args: { query: Record<string, unknown> }) => unknown;
  role?: string;
  audit?: unknown;
}

function core({ dashboard = () => dash, role = 'supervisor', audit = { events: 1234, ok: true, first_bad_seq: null, problem: null } }: Core = {}) {
  operator.session = { username: 'sup', role: role as Role };
  invoke.mockImplementation(async (cmd: string, args: { query: Record<string, unknown> }) => {
    switch (cmd) {
      case 'supervisor_dashboard': {
        const d = dashboard(args);
        if (d instanceof Error) throw { kind: 'forbidden', message: d.message };
        return d;
      }
      case 'audit_journal':
        return audit;
      case 'board_thresholds':
        return { thresholds: DEFAULT_THRESHOLDS, defaults: DEFAULT_THRESHOLDS, set_by: null, set_at: null };
      case 'desk_sessions':
      case 'refused_sign_ins':
        return [];
      case 'export_folder':
        return '/home/sup/Downloads';
      case 'export_report':
        return { path: '/home/sup/Downloads/tidewatch-report.csv', bytes: 2048, events: null };
      case 'export_journal':
        return { path: '/home/sup/Downloads/tidewatch-journal.jsonl', bytes: 9999, events: 777 };
      default:
        throw { kind: 'ipc', message: `unexpected ${cmd}` };
    }
  });
}

const calls = (cmd: string) => invoke.mock.calls.filter((c) => c[0] === cmd);

beforeEach(() => {
  invoke.mockReset();
  charts.length = 0;
});

describe('SupervisorScreen', () => {
  it('shows the KPIs, six charts, the synthetic banner and the override review from the core', async () => {
    core();
    render(SupervisorScreen);
    const tile = await screen.findByTestId('kpi-incidents');
    expect(tile.getAttribute('data-value')).toBe(String(dash.kpis.incidents));
    expect(screen.getByTestId('kpi-p90').textContent).toContain((dash.total.segments.response!.p90 / 60).toFixed(1));
    expect(screen.getByTestId('synthetic-banner').textContent).toContain('演示数据');
    await waitFor(() => expect(charts).toHaveLength(6), { timeout: 5000 });
    await waitFor(() => charts.forEach((c) => expect(c.setOption).toHaveBeenCalled()));
    expect(screen.getAllByTestId('override-row')).toHaveLength(Math.min(50, dash.overrides.length));
    // The first call asks for the default period; the inputs then show the one the core chose.
    expect(calls('supervisor_dashboard')[0][1]).toEqual({ query: {} });
    expect((screen.getByTestId('filter-from') as HTMLInputElement).value).toBe(dash.scope.from);
    expect(await screen.findByTestId('audit-ok')).toBeTruthy();
    // The published year's figures: crime-free islands of the pack's count, raids, hazards by direction.
    const k = dash.kpis;
    const crimeFree = screen.getByTestId('kpi-crime-free');
    expect(crimeFree.getAttribute('data-value')).toBe(String(k.crime_free_share));
    expect(crimeFree.textContent).toContain(`${k.crime_free_islands.length} / ${k.kpi_islands}`);
    expect(screen.getByTestId('kpi-traffic').getAttribute('data-value')).toBe(String(k.traffic.this_period));
    expect(screen.getByTestId('kpi-raids').getAttribute('data-value')).toBe(String(k.joint_work.surprise_raids));
    expect(screen.getByTestId('kpi-elderly').getAttribute('data-value')).toBe(String(k.joint_work.elderly_served));
    expect(screen.getByTestId('kpi-hazards').textContent).toContain(`移交交警 ${k.joint_work.hazards_to_traffic}`);
  });

  it('shows the patrol plan executed when the period had planned checkpoints (#18), not otherwise', async () => {
    const plan_executed = {
      planned: 14, held: 11, not_held: 2, unrecorded: 1, executed_share: 11 / 14, vehicles_checked: 530, violations: { drunk_driving: 3 },
    };
    core({ dashboard: () => ({ ...dash, kpis: { ...dash.kpis, plan_executed } }) });
    render(SupervisorScreen);
    const tile = await screen.findByTestId('kpi-plan-executed');
    expect(tile.getAttribute('data-value')).toBe(String(11 / 14));
    expect(tile.textContent).toContain('卡点 11 / 14 已执行，查车 530');
  });

  it('has no plan-executed tile without a published plan', async () => {
    core();
    render(SupervisorScreen);
    await screen.findByTestId('kpi-incidents');
    expect(screen.queryByTestId('kpi-plan-executed')).toBeNull();
  });

  it('a filter reloads every figure with the island and the period', async () => {
    core();
    render(SupervisorScreen);
    await screen.findByTestId('kpi-incidents');
    const island = dash.by_island[0].key[0];
    const select = screen.getByTestId('filter-island') as HTMLSelectElement;
    select.value = island;
    await fireEvent.change(select);
    await waitFor(() => expect(calls('supervisor_dashboard')).toHaveLength(2));
    expect(calls('supervisor_dashboard')[1][1]).toEqual({
      query: { from: dash.scope.from, to: dash.scope.to, island, incident_type: null },
    });
  });

  it('an empty journal says how to load demo history and shows no figures', async () => {
    const empty = { ...dash, synthetic: false, journal: { incidents: 0, first_utc: null, last_utc: null }, journal_days: null };
    core({ dashboard: () => empty });
    render(SupervisorScreen);
    const msg = await screen.findByTestId('sup-empty');
    expect(msg.textContent).toContain('tidewatch demo seed');
    expect(msg.textContent).toContain('README');
    expect(screen.queryByTestId('kpi-tiles')).toBeNull();
    expect(screen.queryByTestId('synthetic-banner')).toBeNull();
    expect(charts).toHaveLength(0);
  });

  it('a refused role sees the core refusal and nothing else', async () => {
    core({ dashboard: () => new Error('disp (dispatcher) may not view_reports') });
    render(SupervisorScreen);
    const err = await screen.findByTestId('sup-error');
    expect(err.textContent).toContain('may not view_reports');
    expect(screen.queryByTestId('kpi-tiles')).toBeNull();
    expect(screen.queryByTestId('export-bar')).toBeNull();
  });

  it('exports the filtered report and the journal, and says where the file went', async () => {
    core();
    render(SupervisorScreen);
    await screen.findByTestId('kpi-incidents');
    expect((await screen.findByTestId('export-bar')).textContent).toContain('/home/sup/Downloads');
    await fireEvent.click(screen.getByTestId('export-csv'));
    const done = await screen.findByTestId('export-done');
    expect(done.textContent).toContain('tidewatch-report.csv');
    const [, args] = calls('export_report')[0];
    expect(args).toMatchObject({ by: ['island'], format: 'csv', query: { from: dash.scope.from, to: dash.scope.to } });
    await fireEvent.click(await screen.findByTestId('export-journal'));
    await waitFor(() => expect(screen.getByTestId('export-done').textContent).toContain('777'));
  });

  it('hides the journal export from a patrol leader', async () => {
    core({ role: 'patrol_leader' });
    render(SupervisorScreen);
    await screen.findByTestId('kpi-incidents');
    expect(screen.queryByTestId('export-journal')).toBeNull();
    expect(screen.getByTestId('export-csv')).toBeTruthy();
  });

  it('shows a broken chain and checks again on request', async () => {
    core({ audit: { events: 41, ok: false, first_bad_seq: 42, problem: 'its contents do not match its hash' } });
    render(SupervisorScreen);
    const bad = await screen.findByTestId('audit-bad');
    expect(bad.textContent).toContain('#42');
    expect(bad.textContent).toContain('do not match');
    await fireEvent.click(screen.getByTestId('audit-recheck'));
    await waitFor(() => expect(calls('audit_journal')).toHaveLength(2));
  });
});
