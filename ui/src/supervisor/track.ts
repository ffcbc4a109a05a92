// The supervisor's track replay: where the unit was at a moment of the period (between two
// fixes, on the straight line at the time's share), which incidents it was on then, and the
// projection of the track's box onto the card's picture.
import type { IslandFeature, Track, TrackIncident, TrackPoint } from '../ipc/types';

export interface At {
  lon: number;
  lat: number;
  afloat: boolean;
  speed_kmh: number | null;
  /** Seconds since the fix it is drawn from (the earlier one between two). */
  since_fix_s: number;
}

/** The unit's place at `t` (UTC seconds); before the first fix, the first; after the last, the last. */
export function positionAt(points: TrackPoint[], t: number): At | null {
  if (points.length === 0) return null;
  let hi = points.findIndex((p) => p.fix_utc > t);
  if (hi === -1) hi = points.length;
  if (hi === 0) return at(points[0], points[0], 0, 0);
  const a = points[hi - 1];
  if (hi === points.length) return at(a, a, 0, t - a.fix_utc);
  const b = points[hi];
  const share = (t - a.fix_utc) / Math.max(1, b.fix_utc - a.fix_utc);
  return at(a, b, share, t - a.fix_utc);
}

function at(a: TrackPoint, b: TrackPoint, share: number, since: number): At {
  return {
    lon: a.lon + (b.lon - a.lon) * share,
    lat: a.lat + (b.lat - a.lat) * share,
    afloat: a.afloat,
    speed_kmh: a.speed_kmh,
    since_fix_s: Math.max(0, since),
  };
}

/** The incidents the unit was on at `t`: sent at or before it, not yet closed. */
export function onAt(incidents: TrackIncident[], t: number): TrackIncident[] {
  return incidents.filter((i) => i.dispatched_utc !== null && i.dispatched_utc <= t && (i.closed_utc === null || t < i.closed_utc));
}

export type Project = (lon: number, lat: number) => [number, number];

/**
 * Maps lon/lat onto a `width` × `height` picture holding the track and its incidents with a
 * margin (east-west shrunk by the latitude's cosine, so the shapes are true).
 */
export function projector(track: Track, width: number, height: number, margin = 16): Project {
  const lons = [...track.points.map((p) => p.lon), ...track.incidents.map((i) => i.lon)];
  const lats = [...track.points.map((p) => p.lat), ...track.incidents.map((i) => i.lat)];
  if (lons.length === 0) return () => [width / 2, height / 2];
  const [w, e, s, n] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  const k = Math.cos((((s + n) / 2) * Math.PI) / 180);
  const spanX = Math.max((e - w) * k, 0.005);
  const spanY = Math.max(n - s, 0.005);
  const scale = Math.min((width - 2 * margin) / spanX, (height - 2 * margin) / spanY);
  const [cx, cy] = [((w + e) / 2) * k, (s + n) / 2];
  return (lon, lat) => [width / 2 + (lon * k - cx) * scale, height / 2 - (lat - cy) * scale];
}

/** An SVG path of the islands' outlines (the picture's background). */
export function islandPath(features: IslandFeature[], project: Project): string {
  const ring = (r: number[][]) => r.map(([lon, lat], i) => `${i ? 'L' : 'M'}${project(lon, lat).map((v) => v.toFixed(1)).join(' ')}`).join('') + 'Z';
  const polygons = features.flatMap((f) => (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates));
  return polygons.map((p) => p.map(ring).join('')).join('');
}

/** The track as one SVG polyline's points. */
export function trackLine(points: TrackPoint[], project: Project): string {
  return points.map((p) => project(p.lon, p.lat).map((v) => v.toFixed(1)).join(',')).join(' ');
}

/** `datetime-local` text for UTC seconds, in this computer's time, and back. */
export function localInput(utc: number): string {
  const d = new Date(utc * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
export function fromLocalInput(text: string): number | null {
  const t = new Date(text).getTime();
  return Number.isFinite(t) ? Math.floor(t / 1000) : null;
}
