// The what-if's reach over the replayed period (issue #16): pure helpers of the period
// view, unit-tested in PeriodView.test.ts. The figures and the bands are the core's
// (`WhatIf.islands`, tidewatch_plan::sim::islands).
import type { IslandPeriod, IslandPeriodRow, ShareBand } from '../ipc/types';

export const SHARE_BANDS: ShareBand[] = ['good', 'fair', 'poor', 'unjudged'];

/** Fill colours by band of the share within target: green, yellow, red, grey. */
export const SHARE_FILL: Record<ShareBand, string> = {
  good: '#8ce99a',
  fair: '#ffe066',
  poor: '#ff6b6b',
  unjudged: '#ced4da',
};

/** A share as a whole percentage ("–" for none). */
export const pct = (s: number | null | undefined): string => (s == null ? '–' : `${Math.round(100 * s)}%`);

/** The side of a row the map shows; B falls back to A when there is no run B. */
export const sideOf = (r: IslandPeriodRow, side: 'a' | 'b'): IslandPeriod | null => (side === 'b' ? (r.b ?? r.a) : r.a);

/** Whether B's band is better than A's (a changed row: the ring's colour). */
export function bBetter(r: IslandPeriodRow): boolean {
  const rank = (p: IslandPeriod | null) => SHARE_BANDS.indexOf(p?.band ?? 'unjudged');
  return rank(r.b) < rank(r.a);
}
