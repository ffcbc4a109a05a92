// The chart options drawn from a real dashboard the core computed (ui/src/fixtures/dashboard.json,
// written by tests/workstation_supervisor.rs from a seeded demo journal).
import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/dashboard.json';
import type { Dashboard } from '../ipc/types';
import { hasFigures, heatmapOption, histogramOption, monthsBetween, percentileBarsOption, targetShareOption, trendOption } from './charts';

const dash = fixture as unknown as Dashboard;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

describe('supervisor chart options', () => {
  it('the fixture is a real dashboard with figures', () => {
    expect(hasFigures(dash)).toBe(true);
    expect(dash.synthetic).toBe(true);
  });

  it('histogram: one bar per bin plus the overflow, every response counted once, P50/P90 marked', () => {
    const o = histogramOption(dash.histogram, 'zh-CN') as Any;
    const bars: number[] = o.series[0].data.map((d: Any) => d.value);
    const withOver = dash.histogram.bins.length + (dash.histogram.over > 0 ? 1 : 0);
    expect(bars).toHaveLength(withOver);
    expect(o.xAxis.data).toHaveLength(withOver);
    expect(bars.reduce((a, b) => a + b, 0)).toBe(dash.total.segments.response!.count);
    const marks = o.series[0].markLine.data;
    expect(marks.map((m: Any) => m.name)).toEqual(['P50', 'P90']);
    // The P90 line sits in the bin holding the P90 value.
    const p90Bin = Math.floor(dash.histogram.p90_s! / dash.histogram.bin_s);
    expect(marks[1].xAxis).toBe(o.xAxis.data[p90Bin]);
    expect(o.xAxis.name).toBe('响应时间（分钟）');
  });

  it('island bars: P50 ≤ P90 in minutes, slowest P90 last (top of the axis), counts in the labels', () => {
    const names = (id: string) => `isle:${id}`;
    const o = percentileBarsOption(dash.by_island, names, 'en') as Any;
    const [p50, p90] = o.series;
    expect(p50.name).toBe('P50');
    expect(o.yAxis.data).toHaveLength(dash.by_island.filter((r) => r.segments.response).length);
    for (let i = 0; i < p50.data.length; i++) expect(p50.data[i]).toBeLessThanOrEqual(p90.data[i]);
    const sorted = [...p90.data].sort((a: number, b: number) => a - b);
    expect(p90.data).toEqual(sorted);
    const slowest = [...dash.by_island].sort((a, b) => b.segments.response!.p90 - a.segments.response!.p90)[0];
    expect(o.yAxis.data.at(-1)).toBe(`isle:${slowest.key[0]} (${slowest.incidents})`);
    expect(p90.data.at(-1)).toBe(Math.round(slowest.segments.response!.p90 / 6) / 10);
  });

  it('heatmap: 7 × 24 cells, counts sum to the incidents; P90 mode in minutes', () => {
    const o = heatmapOption(dash.heatmap, 'incidents', 'zh-CN') as Any;
    expect(o.series[0].data).toHaveLength(168);
    const sum = o.series[0].data.reduce((a: number, c: Any) => a + c[2], 0);
    expect(sum).toBe(dash.total.incidents);
    expect(o.visualMap.max).toBe(Math.max(...dash.heatmap.map((c) => c.incidents)));
    expect(o.yAxis.data[0]).toBe('周一');
    const p = heatmapOption(dash.heatmap, 'p90', 'en') as Any;
    const cell = dash.heatmap.find((c) => c.p90_s != null)!;
    const drawn = p.series[0].data.find((d: Any) => d[0] === cell.hour && d[1] === cell.weekday);
    expect(drawn[2]).toBe(Math.round(cell.p90_s! / 6) / 10);
  });

  it('trend: one point per month, incidents on the left axis, P90 on the right', () => {
    const o = trendOption(dash.by_month, dash.scope, 'en') as Any;
    expect(o.xAxis.data).toEqual(dash.by_month.map((m) => m.key[0]));
    expect(o.series[0].data).toEqual(dash.by_month.map((m) => m.incidents));
    expect(o.series[2].name).toBe('P90');
    expect(o.series[2].yAxisIndex).toBe(1);
  });

  it('trend: a month without calls keeps its place (zero bar, no response point)', () => {
    const o = trendOption(dash.by_month, { from: '2026-08-15', to: '2026-12-02' }, 'en') as Any;
    expect(o.xAxis.data).toEqual(['2026-08', '2026-09', '2026-10', '2026-11', '2026-12']);
    const aug = o.xAxis.data.indexOf('2026-08');
    expect(o.series[0].data[aug]).toBe(0);
    expect(o.series[1].data[aug]).toBeNull();
    const oct = dash.by_month.find((m) => m.key[0] === '2026-10')!;
    expect(o.series[0].data[o.xAxis.data.indexOf('2026-10')]).toBe(oct.incidents);
    expect(monthsBetween('2025-11-28', '2026-02-01')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });

  it('target share: percentages per priority and mode, with the target in the data', () => {
    const o = targetShareOption(dash.by_priority_mode, dash.targets, 'zh-CN') as Any;
    expect(o.xAxis.data[0]).toBe('P1');
    const road = o.series.find((s: Any) => s.name === '陆路');
    const cell = dash.by_priority_mode.find((r) => r.key[0] === 'P1' && r.key[1] === 'road')!;
    const i = o.xAxis.data.indexOf('P1');
    expect(road.data[i].value).toBe(Math.round(cell.within_target! * 1000) / 10);
    expect(road.data[i].n).toBe(cell.incidents);
    expect(road.data[i].target).toBe(dash.targets.find((t) => t.priority === 1)!.road);
    for (const s of o.series) for (const d of s.data) if (d.value != null) expect(d.value).toBeGreaterThanOrEqual(0);
  });
});
