// The leader's reach view (issue #16): pure helpers, unit-tested in reach.test.ts.
import type { IslandReach } from '../ipc/types';

/** How an island fares: reached within the priority's target, beyond it, or not at all. */
export type ReachBand = 'within' | 'beyond' | 'none';

export function reachBand(r: IslandReach | undefined): ReachBand {
  if (!r || r.eta_s == null) return 'none';
  return r.within_target ? 'within' : 'beyond';
}

/** Seconds as whole minutes ("–" for no ETA). */
export const minutes = (s: number | null | undefined): string => (s == null ? '–' : String(Math.round(s / 60)));

/** Both sides by island, in A's order then B's extras; islands beyond target or unreached
 *  on either side first, so that they stand out. */
export function pairedReach(a: IslandReach[], b: IslandReach[] | undefined): [string, IslandReach | undefined, IslandReach | undefined][] {
  const keys = [...new Set([...a.map((r) => r.island), ...(b ?? []).map((r) => r.island)])];
  const rows = keys.map((k): [string, IslandReach | undefined, IslandReach | undefined] => [
    k,
    a.find((r) => r.island === k),
    b?.find((r) => r.island === k),
  ]);
  const bad = ([, x, y]: (typeof rows)[number]) => reachBand(x) !== 'within' || (b !== undefined && reachBand(y) !== 'within');
  return [...rows.filter(bad), ...rows.filter((r) => !bad(r))];
}

/** Share of islands within target ("–" for none). */
export function withinShare(rows: IslandReach[]): string {
  if (!rows.length) return '–';
  return `${Math.round((100 * rows.filter((r) => reachBand(r) === 'within').length) / rows.length)}%`;
}
