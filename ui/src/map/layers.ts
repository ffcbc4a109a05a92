// MapView (the core's JSON) → Leaflet layers. Pure apart from Leaflet itself, so the
// mapping is unit-tested without a window or a map.
import L from 'leaflet';
import type { Lang } from '../i18n/dict';
import { bothNames, translate } from '../i18n/translate';
import type { IslandFeature, MapView, Place, Unit } from '../ipc/types';
import { ESTIMATE, ISLAND, LINK, placeLabelKey, placeStyle, unitLabelKey, unitStyle } from './style';

export interface LayerOptions {
  lang: Lang;
  showEstimates: boolean;
  /** Shared canvas renderer; one is made if absent. */
  renderer?: L.Renderer;
}

export interface BuiltLayers {
  islands: L.GeoJSON;
  roads: L.LayerGroup;
  bridges: L.LayerGroup;
  ferries: L.LayerGroup;
  places: L.LayerGroup;
  units: L.LayerGroup;
  counts: LayerCounts;
}

export interface LayerCounts {
  islands: number;
  places: number;
  roads: number;
  bridges: number;
  ferries: number;
  units: number;
  /** Estimated items drawn highlighted (0 when "show estimates" is off). */
  highlighted: number;
}

const ll = (p: [number, number] | number[]): L.LatLngExpression => [p[1], p[0]];

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Path style for one island feature. */
export function islandStyle(f: IslandFeature, showEstimates: boolean): L.PathOptions {
  const base = f.properties.in_district ? ISLAND.district : ISLAND.other;
  const style: L.PathOptions = {
    color: base.stroke,
    weight: 1,
    fillColor: base.fill,
    fillOpacity: 1,
    opacity: 1,
  };
  if (showEstimates && f.properties.estimated) {
    style.color = ESTIMATE;
    style.weight = 2;
    style.dashArray = '4 3';
  }
  return style;
}

export function islandTooltip(lang: Lang, f: IslandFeature): string {
  const p = f.properties;
  let s = `<b>${esc(bothNames(lang, p))}</b>`;
  if (p.population != null) s += `<br>${esc(translate(lang, 'tooltip.population'))}: ${p.population.toLocaleString()}`;
  if (p.estimated) s += `<br><i>${esc(translate(lang, 'tooltip.estimate'))} (${esc(String(p.confidence))})</i>`;
  return s;
}

export function placeTooltip(lang: Lang, p: Place): string {
  let s = `<b>${esc(bothNames(lang, p))}</b><br>${esc(translate(lang, placeLabelKey(p.kind)))}`;
  if (p.estimated) s += ` · <i>${esc(translate(lang, 'tooltip.estimate'))}</i>`;
  return s;
}

export function unitTooltip(lang: Lang, u: Unit, base?: Place): string {
  let s = `<b>${esc(u.call_sign)}</b><br>${esc(translate(lang, unitLabelKey(u.kind)))}`;
  if (base) s += `<br>${esc(translate(lang, 'tooltip.base'))}: ${esc(bothNames(lang, base))}`;
  return s;
}

/**
 * Units that share a position (several crews at one station) are fanned out around it
 * so each marker can be seen and hovered. Returns a pixel offset per unit index.
 */
export function fanOut(units: { lon: number; lat: number }[], spacing = 23): [number, number][] {
  const groups = new Map<string, number[]>();
  units.forEach((u, i) => {
    const key = `${u.lon.toFixed(5)},${u.lat.toFixed(5)}`;
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  });
  const out: [number, number][] = units.map(() => [0, 0]);
  for (const idx of groups.values()) {
    const n = idx.length;
    if (n === 1) continue;
    // Neighbours on the circle are `spacing` pixels apart (chord length).
    const r = spacing / 2 / Math.sin(Math.PI / n);
    idx.forEach((ui, k) => {
      const a = -Math.PI / 2 + (2 * Math.PI * k) / n;
      out[ui] = [Math.round(r * Math.cos(a)), Math.round(r * Math.sin(a))];
    });
  }
  return out;
}

/** The map's one-line credit: the attribution's first sentence (the About dialog has it all). */
export function shortAttribution(attribution: string): string {
  const m = attribution.match(/^(.+?\.)\s+[A-Z\u4e00-\u9fff]/u);
  return (m ? m[1] : attribution).trim();
}

export function unitIcon(
  lang: Lang,
  u: Pick<Unit, 'id' | 'kind'>,
  offset: [number, number] = [0, 0],
  status?: string,
): L.DivIcon {
  const st = unitStyle(u.kind);
  const size = 20;
  const live = status
    ? ` data-testid="map-unit" data-unit="${esc(u.id)}" data-status="${esc(status)}"`
    : '';
  return L.divIcon({
    className: `unit-marker unit-${st.shape} unit-kind-${u.kind}${status ? ` unit-status-${status}` : ''}`,
    html: `<span class="unit-glyph"${live}>${esc(st.glyph[lang])}</span>`,
    iconSize: [size, size],
    // The anchor is the point of the icon that sits on the position: moving it by
    // -offset moves the icon by +offset.
    iconAnchor: [size / 2 - offset[0], size / 2 - offset[1]],
    tooltipAnchor: [offset[0], offset[1] - size / 2],
  });
}

export function buildLayers(view: MapView, opts: LayerOptions): BuiltLayers {
  const { lang, showEstimates } = opts;
  const renderer = opts.renderer ?? L.canvas({ padding: 0.5 });
  let highlighted = 0;

  const islands = L.geoJSON(view.islands as unknown as GeoJSON.FeatureCollection, {
    renderer,
    style: (f) => islandStyle(f as unknown as IslandFeature, showEstimates),
    onEachFeature: (f, layer) => {
      const feat = f as unknown as IslandFeature;
      if (showEstimates && feat.properties.estimated) highlighted++;
      layer.bindTooltip(islandTooltip(lang, feat), { sticky: true, className: 'tw-tooltip' });
    },
  } as L.GeoJSONOptions);

  const roads = L.layerGroup();
  for (const r of view.roads) {
    const hl = showEstimates && r.estimated;
    if (hl) highlighted++;
    L.polyline([ll(r.from), ll(r.to)], {
      renderer,
      color: hl ? ESTIMATE : LINK.road.color,
      weight: LINK.road.weight,
      opacity: hl ? 0.9 : 0.8,
      interactive: false,
    }).addTo(roads);
  }

  const bridges = L.layerGroup();
  for (const b of view.bridges) {
    const hl = showEstimates && b.estimated;
    if (hl) highlighted++;
    const st: { color: string; weight: number; dashArray?: string } = b.closed ? LINK.bridgeClosed : LINK.bridge;
    L.polyline([ll(b.from), ll(b.to)], {
      renderer,
      color: hl ? ESTIMATE : st.color,
      weight: st.weight,
      dashArray: st.dashArray,
      lineCap: 'butt',
    })
      .bindTooltip(
        `<b>${esc(bothNames(lang, b))}</b><br>${esc(translate(lang, b.closed ? 'link.bridge.closed' : 'link.bridge'))}`,
        { sticky: true, className: 'tw-tooltip' },
      )
      .addTo(bridges);
  }

  const ferries = L.layerGroup();
  for (const f of view.ferry_routes) {
    const hl = showEstimates && f.estimated;
    if (hl) highlighted++;
    const st = f.suspended ? LINK.ferrySuspended : LINK.ferry;
    L.polyline([ll(f.from), ll(f.to)], {
      renderer,
      color: hl ? ESTIMATE : st.color,
      weight: st.weight,
      dashArray: st.dashArray,
    })
      .bindTooltip(
        `<b>${esc(bothNames(lang, f))}</b><br>${esc(translate(lang, f.suspended ? 'link.ferry.suspended' : 'link.ferry'))}`,
        { sticky: true, className: 'tw-tooltip' },
      )
      .addTo(ferries);
  }

  const places = L.layerGroup();
  const placeById = new Map<string, Place>();
  for (const p of view.places) {
    placeById.set(p.id, p);
    const st = placeStyle(p.kind);
    const hl = showEstimates && p.estimated;
    if (hl) highlighted++;
    L.circleMarker([p.lat, p.lon], {
      renderer,
      radius: hl ? st.radius + 2 : st.radius,
      color: hl ? ESTIMATE : '#ffffff',
      weight: hl ? 2 : 1,
      fillColor: st.color,
      fillOpacity: 1,
    })
      .bindTooltip(placeTooltip(lang, p), { className: 'tw-tooltip' })
      .addTo(places);
  }

  const units = L.layerGroup();
  const offsets = fanOut(view.units);
  view.units.forEach((u, i) => {
    L.marker([u.lat, u.lon], {
      icon: unitIcon(lang, u, offsets[i]),
      title: u.call_sign,
      alt: u.call_sign,
      keyboard: false,
      riseOnHover: true,
    })
      .bindTooltip(unitTooltip(lang, u, placeById.get(u.base)), { className: 'tw-tooltip' })
      .addTo(units);
  });

  return {
    islands,
    roads,
    bridges,
    ferries,
    places,
    units,
    counts: {
      islands: view.islands.features.length,
      places: view.places.length,
      roads: view.roads.length,
      bridges: view.bridges.length,
      ferries: view.ferry_routes.length,
      units: view.units.length,
      highlighted,
    },
  };
}

/** The bounds to frame: the district's islands (not the neighbours), else everything. */
export function frameBounds(view: MapView): L.LatLngBounds {
  const pick = (onlyDistrict: boolean) => {
    const b = L.latLngBounds([]);
    for (const f of view.islands.features) {
      if (onlyDistrict && !f.properties.in_district) continue;
      const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
      for (const poly of polys) for (const p of poly[0] ?? []) b.extend([p[1], p[0]]);
    }
    return b;
  };
  let b = pick(true);
  if (!b.isValid()) b = pick(false);
  if (!b.isValid()) {
    const r = view.region.bounds;
    b = L.latLngBounds([r.min_lat, r.min_lon], [r.max_lat, r.max_lon]);
  }
  return b;
}
