// Coordinates typed into the intake's place field, in the forms a caller or a system
// reads them out: decimal degrees either way round ("122.103, 30.018", "30.018 122.103"),
// with hemisphere letters or Chinese markers ("N30.018 E122.103", "北纬30.018 东经122.103"),
// or degrees-minutes-seconds ("30°1'5"N 122°6'11"E"). Unit-tested in coordinates.test.ts.
import type { Bounds } from '../ipc/types';

interface Reading {
  value: number;
  /** 'lat' or 'lon' when a hemisphere letter or marker said so. */
  axis?: 'lat' | 'lon';
}

// One coordinate: an optional marker before, degrees (decimal, or with minutes and seconds),
// an optional marker after.
const COORDINATE =
  /(北纬|南纬|东经|西经|[NSEW])?\s*(-?\d+(?:\.\d+)?)\s*(?:°\s*(?:(\d+(?:\.\d+)?)\s*['′]\s*)?(?:(\d+(?:\.\d+)?)\s*["″]\s*)?)?\s*(北纬|南纬|东经|西经|[NSEW](?![a-z]))?/giu;

function marker(m: string | undefined): { axis: 'lat' | 'lon'; sign: 1 | -1 } | undefined {
  if (!m) return undefined;
  const k = m.toUpperCase();
  if (k === 'N' || k === '北纬') return { axis: 'lat', sign: 1 };
  if (k === 'S' || k === '南纬') return { axis: 'lat', sign: -1 };
  if (k === 'E' || k === '东经') return { axis: 'lon', sign: 1 };
  return { axis: 'lon', sign: -1 };
}

function readings(text: string): Reading[] | null {
  const found: Reading[] = [];
  let covered = '';
  for (const m of text.matchAll(COORDINATE)) {
    if (!m[2]) continue;
    const mk = marker(m[1]) ?? marker(m[5]);
    const deg = Number(m[2]);
    const value = Math.sign(deg || 1) * (Math.abs(deg) + Number(m[3] ?? 0) / 60 + Number(m[4] ?? 0) / 3600);
    found.push({ value: value * (mk?.sign ?? 1), axis: mk?.axis });
    covered += m[0];
  }
  // Anything but the two coordinates and separators means it is a name, not coordinates.
  const rest = text.replace(COORDINATE, '').replace(/[\s,，;；/]+/g, '');
  return found.length === 2 && rest === '' && covered.length > 0 ? found : null;
}

const inBounds = (lon: number, lat: number, b: Bounds) =>
  lon >= b.min_lon && lon <= b.max_lon && lat >= b.min_lat && lat <= b.max_lat;

/** [lon, lat] from typed coordinates, or null when the text is not two coordinates (a place
 * name, a half-typed number). Without markers, a value over 90 is the longitude; two small
 * values are read lat, lon (as maps and phones show them) unless only lon, lat falls in the
 * region's `bounds`. */
export function parseCoordinates(text: string, bounds?: Bounds): [number, number] | null {
  const r = readings(text.trim());
  if (!r) return null;
  const [a, b] = r;
  let lonLat: [number, number];
  if (a.axis && b.axis && a.axis !== b.axis) lonLat = a.axis === 'lon' ? [a.value, b.value] : [b.value, a.value];
  else if (a.axis === 'lat' || b.axis === 'lon') lonLat = [b.value, a.value];
  else if (a.axis === 'lon' || b.axis === 'lat') lonLat = [a.value, b.value];
  else if (Math.abs(a.value) > 90) lonLat = [a.value, b.value];
  else if (Math.abs(b.value) > 90) lonLat = [b.value, a.value];
  else if (bounds && !inBounds(b.value, a.value, bounds) && inBounds(a.value, b.value, bounds)) lonLat = [a.value, b.value];
  else lonLat = [b.value, a.value];
  const [lon, lat] = lonLat;
  return Math.abs(lon) <= 180 && Math.abs(lat) <= 90 ? lonLat : null;
}
