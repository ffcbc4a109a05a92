import { describe, expect, it } from 'vitest';
import type { DayInfo, HourCover, HourDemand, RosterView } from '../ipc/types';
import { addDays, coverLevel, demandSeries, peakSpans, progressFraction, shiftHours, shiftTable, slotLabel, timelineRows } from './plan';

const need = (total: number, ft = 0, fs = 0) => ({ traffic: 0, station: 0, total, floor_traffic: ft, floor_station: fs });
const hour = (calls: number, erlang: number, n: ReturnType<typeof need>): HourDemand => ({
  calls_traffic: calls / 2,
  calls_station: calls / 2,
  handling_traffic_min: 40,
  handling_station_min: 50,
  erlang_traffic: 0,
  erlang_station: 0,
  erlang_total: erlang,
  need: n,
});

describe('dates', () => {
  it('adds days across months and years', () => {
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(slotLabel('2026-11-30', 24 + 7)).toBe('12-01 07:00');
  });
});

describe('demand series', () => {
  it('draws calls, Erlang, the floor (the larger skill floor) and the need', () => {
    const s = demandSeries([hour(0.5, 1, need(1, 1, 1)), hour(2.25, 3, need(3, 1, 0))]);
    expect(s.calls).toEqual([0.5, 2.25]);
    expect(s.erlang).toEqual([1, 3]);
    expect(s.floor).toEqual([1, 1]);
    expect(s.need).toEqual([1, 3]);
  });

  it('joins consecutive peak days with the same label into one shaded span', () => {
    const day = (date: string, peak: boolean, label: string | null, day_type: DayInfo['day_type'] = 'weekday') => ({ date, day_type, peak, season_factor: 1, label });
    const spans = peakSpans([
      day('2026-10-01', true, '国庆节', 'holiday'),
      day('2026-10-02', true, '国庆节', 'holiday'),
      day('2026-10-03', false, null),
      day('2026-10-04', true, null),
    ]);
    expect(spans).toEqual([
      { start: 0, end: 48, label: '国庆节', holiday: true },
      { start: 72, end: 96, label: '', holiday: false },
    ]);
  });
});

describe('timeline', () => {
  // Period from 2026-11-02 (UTC+8): hour 0 is 2026-11-01T16:00Z.
  const view = {
    start_utc: '2026-11-01T16:00:00Z',
    roster: {
      period: { from: '2026-11-02', days: 2 },
      days: [],
      templates: [],
      demand: [],
      region: 'dinghai',
      time_zone: 'Asia/Shanghai',
      officers: [
        { id: 'off_2', name: '李', skills: 'both', home_island: 'cezi', unit: null, contract_hours_per_week: 40 },
        { id: 'off_1', name: '王', skills: 'traffic', home_island: 'zhoushan', unit: null, contract_hours_per_week: 40 },
      ],
      assignments: [
        // 07:00–15:00 local on day 0 on Cezi, and a lent shift 23:00–07:00 on day 1.
        { officer: 'off_2', day: 0, template: 'E07', island: 'cezi', start: '2026-11-01T23:00:00Z', end: '2026-11-02T07:00:00Z' },
        { officer: 'off_1', day: 1, template: 'N23', island: 'cezi', start: '2026-11-03T15:00:00Z', end: '2026-11-03T23:00:00Z' },
      ],
    },
    hourly: [{ island: 'cezi', name: 'Cezi', hours: [] }],
  } as unknown as RosterView;

  it('places bars by hour of the period and lists lent officers after the home ones', () => {
    const rows = timelineRows(view, 'cezi');
    expect(rows.map((r) => r.officer)).toEqual(['off_2', 'off_1']);
    expect(rows[0].bars[0].left).toBeCloseTo((100 * 7) / 48);
    expect(rows[0].bars[0].width).toBeCloseTo((100 * 8) / 48);
    expect(rows[1].guest).toBe(true);
    // The night shift runs past the period's end: the bar is cut at the edge.
    expect(rows[1].bars[0].left + rows[1].bars[0].width).toBeCloseTo(100);
  });

  it('prints local shift times per officer and day', () => {
    expect(shiftHours(view, '2026-11-03T15:00:00Z', '2026-11-03T23:00:00Z')).toBe('23–07');
    const t = shiftTable(view);
    expect(t[0].rows[0].cells).toEqual(['E07 07–15', '']);
    expect(t[0].rows[1].cells).toEqual(['', 'N23 23–07']);
  });

  it('grades an hour: below floor, short, met, nothing needed', () => {
    const h = (under: number, floor_short: boolean, total: number): HourCover => ({
      on_traffic: 0,
      on_station: 0,
      on_total: 0,
      need: need(total),
      under,
      floor_short,
    });
    expect(coverLevel(h(1, true, 2))).toBe('floor');
    expect(coverLevel(h(1, false, 2))).toBe('under');
    expect(coverLevel(h(0, false, 2))).toBe('met');
    expect(coverLevel(h(0, false, 0))).toBe('none');
  });

  it('shows progress as the share of the time limit, full when done', () => {
    const st = { running: true, stopping: false, elapsed_s: 5, time_limit_s: 20, progress: null, error: null };
    expect(progressFraction(st)).toBeCloseTo(0.25);
    expect(progressFraction({ ...st, elapsed_s: 30 })).toBeCloseTo(0.99);
    expect(progressFraction({ ...st, running: false })).toBe(1);
    expect(progressFraction(undefined)).toBe(0);
  });
});
