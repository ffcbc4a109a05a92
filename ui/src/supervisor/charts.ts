// ECharts options for the supervisor's dashboard, built from figures the core computed
// (unit-tested in charts.test.ts). Kept sparse: one idea per chart, minutes on the axes,
// values on the bars where they fit.
import type { EChartsCoreOption } from 'echarts/core';
import type { Lang } from '../i18n/dict';
import { translate } from '../i18n/translate';
import type { Dashboard, GroupRow, HeatCell, Histogram, ResponseTarget } from '../ipc/types';
import { binLabel, minutesValue, routeModeName, weekdayName } from './format';

export const COLORS = {
  p50: '#4263eb',
  p90: '#e8590c',
  count: '#74c0fc',
  over: '#adb5bd',
  road: '#1971c2',
  bridge: '#2f9e44',
  ferry: '#0c8599',
};

const TEXT = { color: '#1f2933', fontSize: 12 };
const GRID = { left: 8, right: 16, top: 36, bottom: 8, containLabel: true };
/** Fewer incidents than this in a cell: its share is drawn faint (a small sample). */
export const SMALL_SAMPLE = 20;

/** The route modes a unit can take, in the order the charts show them. */
export const MODES = ['road', 'bridge', 'ferry'] as const;

/** Received → on scene: bars of incidents per bin; P50 and P90 marked. */
export function histogramOption(h: Histogram, lang: Lang): EChartsCoreOption {
  const t = (k: string) => translate(lang, k);
  const labels = h.bins.map((_, i) => binLabel(i, h.bin_s));
  const data: { value: number; itemStyle?: { color: string } }[] = h.bins.map((v) => ({ value: v }));
  if (h.over > 0) {
    labels.push(binLabel(h.bins.length, h.bin_s, true));
    data.push({ value: h.over, itemStyle: { color: COLORS.over } });
  }
  const mark = (s: number | null, name: string, color: string) =>
    s == null
      ? []
      : [
          {
            xAxis: labels[Math.min(Math.floor(s / h.bin_s), labels.length - 1)],
            name,
            lineStyle: { color, type: 'dashed' as const, width: 2 },
            label: { formatter: `${name} ${minutesValue(s)} ${t('sup.unit.min')}`, color, fontWeight: 'bold' as const },
          },
        ];
  return {
    textStyle: TEXT,
    grid: { ...GRID, top: 44, bottom: 28 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'category', data: labels, name: t('sup.axis.minutes'), nameLocation: 'middle', nameGap: 24, axisTick: { alignWithLabel: true } },
    yAxis: { type: 'value', name: t('sup.axis.incidents'), minInterval: 1 },
    series: [
      {
        type: 'bar',
        name: t('sup.axis.incidents'),
        data,
        barCategoryGap: '8%',
        itemStyle: { color: COLORS.count },
        markLine: { symbol: 'none', silent: true, data: [...mark(h.p50_s, 'P50', COLORS.p50), ...mark(h.p90_s, 'P90', COLORS.p90)] },
      },
    ],
  };
}

/** P50 and P90 response per group as horizontal bars, slowest P90 on top. */
export function percentileBarsOption(rows: GroupRow[], name: (key: string) => string, lang: Lang): EChartsCoreOption {
  const t = (k: string) => translate(lang, k);
  const shown = rows
    .filter((r) => r.segments.response)
    .sort((a, b) => (a.segments.response?.p90 ?? 0) - (b.segments.response?.p90 ?? 0));
  const categories = shown.map((r) => `${name(r.key[0])} (${r.incidents})`);
  const series = (which: 'p50' | 'p90', color: string) => ({
    type: 'bar',
    name: which.toUpperCase(),
    data: shown.map((r) => minutesValue(r.segments.response?.[which])),
    itemStyle: { color },
    label: { show: true, position: 'right', fontSize: 11, color: '#495057' },
    barGap: '10%',
  });
  return {
    textStyle: TEXT,
    // Room on the right for the value labels of the longest bars.
    grid: { ...GRID, right: 56 },
    legend: { top: 4, right: 8, data: ['P50', 'P90'] },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => `${v} ${t('sup.unit.min')}` },
    xAxis: { type: 'value', name: t('sup.unit.min'), splitLine: { lineStyle: { color: '#eceff1' } } },
    yAxis: { type: 'category', data: categories, axisTick: { show: false } },
    series: [series('p50', COLORS.p50), series('p90', COLORS.p90)],
  };
}

/** Calls by weekday (rows, Monday on top) and local hour (columns); or P90 response. */
export function heatmapOption(cells: HeatCell[], metric: 'incidents' | 'p90', lang: Lang): EChartsCoreOption {
  const t = (k: string) => translate(lang, k);
  const value = (c: HeatCell) => (metric === 'incidents' ? c.incidents : minutesValue(c.p90_s));
  const data = cells.map((c) => [c.hour, c.weekday, value(c) ?? '-']);
  const values = cells.map(value).filter((v): v is number => v != null);
  const max = Math.max(1, ...values);
  return {
    textStyle: TEXT,
    grid: { ...GRID, top: 8, bottom: 52 },
    tooltip: {
      formatter: (p: { value: [number, number, number | string] }) => {
        const [h, d, v] = p.value;
        const unit = metric === 'incidents' ? t('sup.unit.incidents') : t('sup.unit.min');
        return `${weekdayName(d, lang)} ${String(h).padStart(2, '0')}:00–${String(h + 1).padStart(2, '0')}:00<br/><b>${v}</b> ${unit}`;
      },
    },
    xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0')), splitArea: { show: true } },
    yAxis: { type: 'category', data: [0, 1, 2, 3, 4, 5, 6].map((d) => weekdayName(d, lang)), inverse: true, splitArea: { show: true } },
    visualMap: {
      min: 0,
      max,
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 120,
      itemWidth: 10,
      text: [String(max), '0'],
      inRange: { color: metric === 'incidents' ? ['#f1f7fd', '#74c0fc', '#1864ab'] : ['#fff9db', '#ffa94d', '#c92a2a'] },
    },
    series: [{ type: 'heatmap', data, emphasis: { itemStyle: { borderColor: '#333', borderWidth: 1 } } }],
  };
}

/** "YYYY-MM" of every month from the one of `from` to the one of `to` (YYYY-MM-DD). */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number);
  const [ty, tm] = to.split('-').map(Number);
  while ((y < ty || (y === ty && m <= tm)) && out.length < 1200) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  }
  return out;
}

/**
 * Incidents per month (bars) with P50 and P90 response (lines, right axis). Every month of
 * the period has its place, so a month without calls shows as one, not as a shorter axis.
 */
export function trendOption(rows: GroupRow[], period: { from: string; to: string }, lang: Lang): EChartsCoreOption {
  const t = (k: string) => translate(lang, k);
  const axis = monthsBetween(period.from, period.to);
  for (const r of rows) if (!axis.includes(r.key[0])) axis.push(r.key[0]);
  axis.sort();
  const byKey = new Map(rows.map((r) => [r.key[0], r]));
  const months = axis.map((k) => byKey.get(k));
  return {
    textStyle: TEXT,
    grid: { ...GRID, top: 44 },
    legend: { top: 4, left: 'center' },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: axis },
    yAxis: [
      { type: 'value', name: t('sup.axis.incidents'), minInterval: 1, splitLine: { lineStyle: { color: '#eceff1' } } },
      { type: 'value', name: t('sup.unit.min'), splitLine: { show: false } },
    ],
    series: [
      { type: 'bar', name: t('sup.axis.incidents'), data: months.map((m) => m?.incidents ?? 0), itemStyle: { color: COLORS.count } },
      {
        type: 'line',
        name: 'P50',
        yAxisIndex: 1,
        data: months.map((m) => minutesValue(m?.segments.response?.p50)),
        itemStyle: { color: COLORS.p50 },
        symbolSize: 6,
      },
      {
        type: 'line',
        name: 'P90',
        yAxisIndex: 1,
        data: months.map((m) => minutesValue(m?.segments.response?.p90)),
        itemStyle: { color: COLORS.p90 },
        symbolSize: 6,
      },
    ],
  };
}

/** Share within target per priority (groups) and route mode (bars), 0–100%. */
export function targetShareOption(rows: GroupRow[], targets: ResponseTarget[], lang: Lang): EChartsCoreOption {
  const t = (k: string) => translate(lang, k);
  const priorities = [...new Set(rows.map((r) => r.key[0]))].sort();
  const cell = (p: string, mode: string) => rows.find((r) => r.key[0] === p && r.key[1] === mode);
  const modes = MODES.filter((m) => rows.some((r) => r.key[1] === m));
  return {
    textStyle: TEXT,
    grid: { ...GRID, top: 44 },
    legend: { top: 4, right: 8 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (ps: { seriesName: string; name: string; value: number | null; data: { n: number; target: number | null } }[]) =>
        [
          `<b>${ps[0]?.name ?? ''}</b>`,
          ...ps.map(
            (p) =>
              `${p.seriesName}: ${p.value == null ? '—' : `${p.value}%`} · ${p.data.n} ${t('sup.unit.incidents')}` +
              (p.data.target == null ? '' : ` · ${t('sup.target')} ${minutesValue(p.data.target)} ${t('sup.unit.min')}`) +
              (p.data.n < SMALL_SAMPLE ? ` · ${t('sup.small_sample')}` : ''),
          ),
        ].join('<br/>'),
    },
    xAxis: { type: 'category', data: priorities },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' }, splitLine: { lineStyle: { color: '#eceff1' } } },
    series: modes.map((m) => ({
      type: 'bar',
      name: routeModeName(m, lang),
      itemStyle: { color: COLORS[m] },
      label: { show: true, position: 'top', fontSize: 11, formatter: (p: { value: number | null }) => (p.value == null ? '' : `${p.value}%`) },
      data: priorities.map((p) => {
        const c = cell(p, m);
        const target = targets.find((x) => `P${x.priority}` === p)?.[m] ?? null;
        const n = c?.incidents ?? 0;
        return {
          value: c?.within_target == null ? null : Math.round(c.within_target * 1000) / 10,
          n,
          target,
          itemStyle: n < SMALL_SAMPLE ? { opacity: 0.4 } : undefined,
        };
      }),
    })),
  };
}

/** Whether the dashboard has anything to draw (the period and filters hold incidents). */
export function hasFigures(d: Dashboard): boolean {
  return d.total.incidents > 0;
}
