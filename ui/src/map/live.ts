// What changes during a shift, drawn over the region: links the conditions close (from
// the core's `closed_links`), open incidents and units by status (from the board).
import L from 'leaflet';
import type { Lang } from '../i18n/dict';
import { bothNames, translate } from '../i18n/translate';
import type { Board, BoardIncident, BoardUnit, ClosedLink, MapView } from '../ipc/types';
import { closedByText, plannedText } from '../dispatch/words';
import { fanOut, unitIcon } from './layers';
import { INCIDENT_PRIORITY, unitStyle } from './style';
import { UnitGlyph, lookKey, type UnitLook } from './unitGlyph';

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The view with the closed bridges and suspended routes flagged, so the base layers draw them so. */
export function withClosures(view: MapView, closed: ClosedLink[] | undefined): MapView {
  if (!closed?.length) return view;
  const bridges = new Set(closed.filter((l) => l.kind === 'bridge').map((l) => l.id));
  const ferries = new Set(closed.filter((l) => l.kind === 'ferry').map((l) => l.id));
  return {
    ...view,
    bridges: view.bridges.map((b) => ({ ...b, closed: b.closed || bridges.has(b.id) })),
    ferry_routes: view.ferry_routes.map((f) => ({ ...f, suspended: f.suspended || ferries.has(f.id) })),
  };
}

/** A ✕ at the middle of every closed link, saying what and why. */
export function closureMarkers(view: MapView, closed: ClosedLink[] | undefined, lang: Lang): L.LayerGroup {
  const group = L.layerGroup();
  for (const c of closed ?? []) {
    const link = c.kind === 'bridge' ? view.bridges.find((b) => b.id === c.id) : view.ferry_routes.find((f) => f.id === c.id);
    if (!link) continue;
    const mid: L.LatLngTuple = [(link.from[1] + link.to[1]) / 2, (link.from[0] + link.to[0]) / 2];
    const title = translate(lang, c.kind === 'bridge' ? 'map.closed.bridge' : 'map.closed.ferry');
    L.marker(mid, {
      icon: L.divIcon({
        className: `closed-marker closed-${c.kind}`,
        html: `<span data-testid="closed-link" data-id="${esc(c.id)}" data-kind="${c.kind}" data-by="${c.reason.by}">✕</span>`,
        iconSize: [16, 16],
        iconAnchor: [8, 8],
      }),
      keyboard: false,
      interactive: true,
    })
      .bindTooltip(`<b>${esc(bothNames(lang, link))}</b><br>${esc(title)}: ${esc(closedByText(lang, c.reason))}`, {
        className: 'tw-tooltip',
      })
      .addTo(group);
  }
  return group;
}

export function incidentIcon(inc: BoardIncident): L.DivIcon {
  const fill = INCIDENT_PRIORITY[inc.priority] ?? INCIDENT_PRIORITY[4];
  return L.divIcon({
    className: `incident-marker incident-state-${inc.state} incident-level-${inc.level}`,
    html:
      `<span data-testid="map-incident" data-id="${inc.id}" data-state="${esc(inc.state)}" data-priority="${inc.priority}"` +
      ` data-level="${inc.level}" style="background:${fill}">${inc.id}</span>`,
    iconSize: [24, 24],
    iconAnchor: [12, 12],
  });
}

export interface LiveLayers {
  incidents: L.LayerGroup;
  units: L.LayerGroup;
  counts: { incidents: number; busyUnits: number };
}

/** Open incidents as markers: few at a time, so rebuilt with every board refresh. */
export function incidentLayer(
  board: Board,
  lang: Lang,
  onIncident: (id: number) => void,
  typeName: (id: string) => string = (id) => id,
): L.LayerGroup {
  const incidents = L.layerGroup();
  for (const inc of board.incidents) {
    const state = translate(lang, `state.${inc.state}`);
    L.marker([inc.lat, inc.lon], { icon: incidentIcon(inc), keyboard: false, riseOnHover: true, zIndexOffset: 1000 })
      .bindTooltip(
        `<b>${esc(translate(lang, 'map.incident', { id: inc.id, state, priority: inc.priority }))}</b><br>${esc(typeName(inc.incident_type))}`,
        { className: 'tw-tooltip' },
      )
      .on('click', () => onIncident(inc.id))
      .addTo(incidents);
  }
  return incidents;
}

/**
 * Above this many units the live map draws them on its canvas (unitGlyph.ts) instead of as
 * DOM markers. A district's own fleet (Dinghai: 26) stays DOM markers, each a
 * `data-testid="map-unit"` element with a `title`, which the end-to-end tests read; a
 * province-wide board of hundreds moving every second would cost ~70 ms of style and paint
 * per refresh as DOM (tests/playwright/map-load.test.mjs), a few ms on the canvas.
 */
export const CANVAS_UNITS_ABOVE = 150;
/** Back to DOM markers only under this many: a board hovering about the threshold as units
 * come on and off shift would otherwise redraw every unit the other way each time. */
export const DOM_UNITS_BELOW = Math.floor(CANVAS_UNITS_ABOVE * 0.8); // as LiveUnits' default

/** How the live units are drawn now (the map says it in `data-unit-renderer`). */
export type UnitRenderer = 'dom' | 'canvas';

interface DrawnUnit {
  marker: L.Marker | UnitGlyph;
  /** Everything the icon or glyph depends on: redrawn only when it changes. */
  look: string;
  tip: string;
  /** Drawn dimmed (its crew's fix is stale). */
  dim: boolean;
}

/**
 * The board's units on the map, kept across refreshes: a refresh moves each marker in
 * place and redraws its icon or tooltip only when its status, fan-out offset or the
 * language changed. Re-creating 1,000 markers every second blocked the page ~120 ms a
 * round (tests/playwright/map-load.test.mjs); moving them costs a few ms, and a tooltip
 * under the mouse stays open. Over `canvasAbove` units they are drawn on the canvas.
 */
export class LiveUnits {
  readonly layer = L.layerGroup();
  private readonly drawn = new Map<string, DrawnUnit>();
  private mode: UnitRenderer = 'dom';

  constructor(
    private readonly canvasAbove = CANVAS_UNITS_ABOVE,
    private readonly domBelow = Math.floor(canvasAbove * 0.8),
  ) {}

  get renderer(): UnitRenderer {
    return this.mode;
  }

  /** Draws `units` as they are now, those in `dimmed` faded (a stale fix); returns how
   *  many are busy. */
  update(units: BoardUnit[], lang: Lang, dimmed?: ReadonlySet<string>, timeZone?: string): number {
    const n = units.length;
    const mode: UnitRenderer =
      n > this.canvasAbove ? 'canvas' : n < this.domBelow ? 'dom' : this.mode;
    if (mode !== this.mode) {
      // Crossing the threshold redraws every unit the other way (rare: units come and go
      // with shifts, not every second).
      this.layer.clearLayers();
      this.drawn.clear();
      this.mode = mode;
    }
    const offsets = fanOut(units);
    const seen = new Set<string>();
    let busy = 0;
    units.forEach((u, i) => {
      seen.add(u.unit);
      if (u.status !== 'available') busy++;
      const glyph: UnitLook = { kind: u.kind, status: u.status, glyph: unitStyle(u.kind).glyph[lang] };
      const look = `${lookKey(glyph)}|${offsets[i][0]},${offsets[i][1]}`;
      const on = u.incident != null ? ` · #${u.incident}` : '';
      // The patrol plan's task beside the unit (issue #18), when the region's zone is known.
      const plan = u.planned && timeZone ? `<br>${esc(plannedText(lang, u.planned, timeZone))}` : '';
      const tip = `<b>${esc(u.call_sign)}</b><br>${esc(translate(lang, `unitstatus.${u.status}`))}${esc(on)}${plan}`;
      const had = this.drawn.get(u.unit);
      if (!had) {
        const marker =
          mode === 'canvas'
            ? new UnitGlyph([u.lat, u.lon], glyph, offsets[i])
            : L.marker([u.lat, u.lon], {
                icon: unitIcon(lang, { id: u.unit, kind: u.kind }, offsets[i], u.status),
                title: u.call_sign,
                alt: u.call_sign,
                keyboard: false,
                riseOnHover: true,
              });
        marker.bindTooltip(tip, { className: 'tw-tooltip' }).addTo(this.layer);
        const dim = dimmed?.has(u.unit) ?? false;
        if (dim) fade(marker, true);
        this.drawn.set(u.unit, { marker, look, tip, dim });
        return;
      }
      const at = had.marker.getLatLng();
      if (at.lat !== u.lat || at.lng !== u.lon) had.marker.setLatLng([u.lat, u.lon]);
      if (had.look !== look) {
        if (had.marker instanceof UnitGlyph) had.marker.restyle(glyph, offsets[i]);
        else had.marker.setIcon(unitIcon(lang, { id: u.unit, kind: u.kind }, offsets[i], u.status));
        had.look = look;
      }
      if (had.tip !== tip) {
        had.marker.setTooltipContent(tip);
        had.tip = tip;
      }
      const dim = dimmed?.has(u.unit) ?? false;
      if (had.dim !== dim) {
        fade(had.marker, dim);
        had.dim = dim;
      }
    });
    for (const [id, d] of this.drawn) {
      if (seen.has(id)) continue;
      this.layer.removeLayer(d.marker);
      this.drawn.delete(id);
    }
    return busy;
  }

  /**
   * Canvas units share the map's canvas with the islands, links and routes, which draws in
   * the order layers were added: call this after adding those so units stay on top, as the
   * DOM markers' pane is.
   */
  raise(): void {
    if (this.mode !== 'canvas') return;
    for (const d of this.drawn.values()) (d.marker as UnitGlyph).bringToFront();
  }
}

/** A unit's marker faded (or back): a DOM marker's opacity; a canvas glyph's own. */
function fade(marker: L.Marker | UnitGlyph, dim: boolean): void {
  if (marker instanceof UnitGlyph) marker.setDim(dim);
  else marker.setOpacity(dim ? 0.4 : 1);
}

export function buildLiveLayers(
  board: Board,
  lang: Lang,
  onIncident: (id: number) => void,
  typeName: (id: string) => string = (id) => id,
): LiveLayers {
  const units = new LiveUnits();
  const busyUnits = units.update(board.units, lang);
  return {
    incidents: incidentLayer(board, lang, onIncident, typeName),
    units: units.layer,
    counts: { incidents: board.incidents.length, busyUnits },
  };
}
