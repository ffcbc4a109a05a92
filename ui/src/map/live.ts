// What changes during a shift, drawn over the region: links the conditions close (from
// the core's `closed_links`), open incidents and units by status (from the board).
import L from 'leaflet';
import type { Lang } from '../i18n/dict';
import { bothNames, translate } from '../i18n/translate';
import type { Board, BoardIncident, ClosedLink, MapView } from '../ipc/types';
import { closedByText } from '../dispatch/words';
import { fanOut, unitIcon } from './layers';
import { INCIDENT_PRIORITY } from './style';

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

export function buildLiveLayers(
  board: Board,
  lang: Lang,
  onIncident: (id: number) => void,
  typeName: (id: string) => string = (id) => id,
): LiveLayers {
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
  const units = L.layerGroup();
  const offsets = fanOut(board.units);
  let busyUnits = 0;
  board.units.forEach((u, i) => {
    if (u.status !== 'available') busyUnits++;
    const status = translate(lang, `unitstatus.${u.status}`);
    const on = u.incident != null ? ` · #${u.incident}` : '';
    L.marker([u.lat, u.lon], {
      icon: unitIcon(lang, { id: u.unit, kind: u.kind }, offsets[i], u.status),
      title: u.call_sign,
      alt: u.call_sign,
      keyboard: false,
      riseOnHover: true,
    })
      .bindTooltip(`<b>${esc(u.call_sign)}</b><br>${esc(status)}${esc(on)}`, { className: 'tw-tooltip' })
      .addTo(units);
  });
  return { incidents, units, counts: { incidents: board.incidents.length, busyUnits } };
}
