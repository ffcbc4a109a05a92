// The leader's reach view (issue #16): pure helpers, unit-tested in ReachPanel.test.ts and
// ReachMap.test.ts. The band itself is the core's (`IslandReach.band`).
import type { IslandCollection, IslandFeature, IslandReach, ReachBand, ReachChange } from '../ipc/types';

export const BANDS: ReachBand[] = ['within', 'twice', 'beyond', 'unreachable'];

/** An island missing from a side counts as not reached there. */
export function reachBand(r: IslandReach | undefined): ReachBand {
  return r?.band ?? 'unreachable';
}

/** Fill colours by band: green, yellow, orange, red (as the table's cells). */
export const BAND_FILL: Record<ReachBand, string> = {
  within: '#8ce99a',
  twice: '#ffe066',
  beyond: '#ffa94d',
  unreachable: '#ff6b6b',
};

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

/** A drawing of the islands: SVG paths in a box `width` wide, north up, east right, the
 *  longitude scaled by the cosine of the latitude so that the islands keep their shape. */
export interface Drawing {
  width: number;
  height: number;
  shapes: { id: string; d: string; inDistrict: boolean }[];
  /** Where each island's mark goes: the centre of its largest ring's bounding box. */
  marks: Map<string, [number, number]>;
}

type Ring = number[][];
const rings = (f: IslandFeature): Ring[] =>
  f.geometry.type === 'Polygon' ? f.geometry.coordinates : f.geometry.coordinates.flatMap((p) => p);

/** Draws the islands of the district (and any others within its box). */
export function drawIslands(islands: IslandCollection, width = 560): Drawing {
  const district = islands.features.filter((f) => f.properties.in_district);
  const pts = (district.length ? district : islands.features).flatMap((f) => rings(f).flat());
  if (!pts.length) return { width, height: 0, shapes: [], marks: new Map() };
  const lons = pts.map((p) => p[0]);
  const lats = pts.map((p) => p[1]);
  const [w, e, s, n] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  const k = Math.cos((((s + n) / 2) * Math.PI) / 180);
  const pad = 12;
  const scale = (width - 2 * pad) / Math.max((e - w) * k, 1e-9);
  const height = Math.round((n - s) * scale + 2 * pad);
  const xy = (p: number[]): [number, number] => [pad + (p[0] - w) * k * scale, pad + (n - p[1]) * scale];
  const shapes = islands.features.map((f) => ({
    id: f.properties.id,
    inDistrict: f.properties.in_district,
    d: rings(f)
      .map((r) => 'M' + r.map((p) => xy(p).map((v) => v.toFixed(1)).join(',')).join('L') + 'Z')
      .join(''),
  }));
  const marks = new Map<string, [number, number]>();
  for (const f of islands.features) {
    const ring = rings(f).reduce((a, b) => (b.length > a.length ? b : a), [] as Ring);
    if (!ring.length) continue;
    const [x0, x1] = [Math.min(...ring.map((p) => p[0])), Math.max(...ring.map((p) => p[0]))];
    const [y0, y1] = [Math.min(...ring.map((p) => p[1])), Math.max(...ring.map((p) => p[1]))];
    marks.set(f.properties.id, xy([(x0 + x1) / 2, (y0 + y1) / 2]));
  }
  return { width, height, shapes, marks };
}

/** The change of an island's band, if the comparison has one. */
export const changeOf = (changed: ReachChange[] | undefined, island: string): ReachChange | undefined =>
  changed?.find((c) => c.island === island);

/** Ring colours of an island whose band a scenario changes: better, worse. */
export const BETTER = '#1c7ed6';
export const WORSE = '#c92a2a';
