// Pure helpers of the shift-planning screen: dates, demand series, timeline layout.
import type { DayInfo, HourCover, HourDemand, IslandDemand, PlanStatus, RosterView } from '../ipc/types';

const pad = (n: number) => String(n).padStart(2, '0');

/** A local calendar date as YYYY-MM-DD. */
export function isoDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** `date` (YYYY-MM-DD) plus `n` days, as YYYY-MM-DD (calendar arithmetic, no time zone). */
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** Label of hour `slot` of a period starting at `from`: "11-02 08:00". */
export function slotLabel(from: string, slot: number): string {
  const day = addDays(from, Math.floor(slot / 24));
  return `${day.slice(5)} ${pad(slot % 24)}:00`;
}

/** The series a demand chart draws for one island, one value per hour of the period. */
export interface DemandSeries {
  calls: number[];
  erlang: number[];
  floor: number[];
  need: number[];
}

const round2 = (v: number) => Math.round(v * 100) / 100;

export function demandSeries(hours: HourDemand[]): DemandSeries {
  return {
    calls: hours.map((h) => round2(h.calls_traffic + h.calls_station)),
    erlang: hours.map((h) => h.erlang_total),
    // A `both` officer meets both floors, so the floor asks for at least the larger one.
    floor: hours.map((h) => Math.max(h.need.floor_traffic, h.need.floor_station)),
    need: hours.map((h) => h.need.total),
  };
}

/** Runs of peak days as hour ranges [start, end) with their label, for shading. */
export interface PeakSpan {
  start: number;
  end: number;
  label: string;
  holiday: boolean;
}

export function peakSpans(days: DayInfo[]): PeakSpan[] {
  const spans: PeakSpan[] = [];
  days.forEach((d, i) => {
    if (!d.peak) return;
    const label = d.label ?? (d.season_factor !== 1 ? `×${d.season_factor}` : '');
    const last = spans[spans.length - 1];
    if (last && last.end === i * 24 && last.label === label) last.end += 24;
    else spans.push({ start: i * 24, end: i * 24 + 24, label, holiday: d.day_type === 'holiday' });
  });
  return spans;
}

/** Totals of an island's demand, for the notes under the chart. */
export function demandTotals(island: IslandDemand) {
  const s = demandSeries(island.hours);
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  return {
    calls: round2(sum(s.calls)),
    needHours: sum(s.need),
    erlangHours: sum(s.erlang),
    floorHours: s.floor.filter((f) => f > 0).length,
    peakNeed: Math.max(0, ...s.need),
  };
}

/** One shift bar on the timeline, as percentages of the period's width. */
export interface Bar {
  left: number;
  width: number;
  template: string;
  start: string;
  end: string;
  lent: boolean;
}

export interface TimelineRow {
  officer: string;
  name: string;
  skills: string;
  /** Works here but belongs to another island (lent for a peak). */
  guest: boolean;
  bars: Bar[];
}

const HOUR_MS = 3_600_000;

/** Officers with shifts on `island`, each with their bars; home officers first, by id. */
export function timelineRows(view: RosterView, island: string): TimelineRow[] {
  const start = Date.parse(view.start_utc);
  const total = view.roster.period.days * 24;
  const rows = new Map<string, TimelineRow>();
  for (const a of view.roster.assignments) {
    if (a.island !== island) continue;
    const o = view.roster.officers.find((x) => x.id === a.officer);
    let row = rows.get(a.officer);
    if (!row) {
      row = { officer: a.officer, name: o?.name ?? a.officer, skills: o?.skills ?? '', guest: o ? o.home_island !== island : false, bars: [] };
      rows.set(a.officer, row);
    }
    const h0 = (Date.parse(a.start) - start) / HOUR_MS;
    const h1 = Math.min(total, (Date.parse(a.end) - start) / HOUR_MS);
    row.bars.push({
      left: (100 * h0) / total,
      width: (100 * (h1 - h0)) / total,
      template: a.template,
      start: a.start,
      end: a.end,
      lent: row.guest,
    });
  }
  return [...rows.values()].sort((a, b) => Number(a.guest) - Number(b.guest) || a.officer.localeCompare(b.officer));
}

export type CoverLevel = 'none' | 'met' | 'under' | 'floor';

/** How an hour of an island stands: nothing needed, met, short, or below the floor. */
export function coverLevel(h: HourCover): CoverLevel {
  if (h.floor_short) return 'floor';
  if (h.under > 0) return 'under';
  if (h.need.total === 0 && h.need.floor_traffic + h.need.floor_station === 0) return 'none';
  return 'met';
}

/** 0–1 for the progress bar: the share of the time limit used (the solve keeps it). */
export function progressFraction(s: PlanStatus | null | undefined): number {
  if (!s) return 0;
  if (!s.running) return 1;
  if (s.time_limit_s <= 0) return 0;
  return Math.min(0.99, Math.max(0, s.elapsed_s / s.time_limit_s));
}

/** Local shift times "07–15" of an assignment in the roster's zone (from the period start). */
export function shiftHours(view: RosterView, start: string, end: string): string {
  const s0 = Date.parse(view.start_utc);
  const a = Math.round((Date.parse(start) - s0) / HOUR_MS);
  const b = Math.round((Date.parse(end) - s0) / HOUR_MS);
  return `${pad(((a % 24) + 24) % 24)}–${pad(((b % 24) + 24) % 24)}`;
}

/** The printable table: per island, officers × days with the shift worked each day. */
export interface TableIsland {
  island: string;
  rows: { officer: string; name: string; cells: string[] }[];
}

export function shiftTable(view: RosterView): TableIsland[] {
  const days = view.roster.period.days;
  return view.hourly.map((ih) => {
    const rows = timelineRows(view, ih.island).map((r) => {
      const cells = Array<string>(days).fill('');
      for (const a of view.roster.assignments) {
        if (a.officer === r.officer && a.island === ih.island && a.day < days) {
          cells[a.day] = `${a.template} ${shiftHours(view, a.start, a.end)}`;
        }
      }
      return { officer: r.officer, name: r.name, cells };
    });
    return { island: ih.island, rows };
  });
}
