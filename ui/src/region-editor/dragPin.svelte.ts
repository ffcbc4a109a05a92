// The region editor's pin that can be dragged to move a place. The shared map component
// (ui/src/map/MapCanvas.svelte) draws its `pin` on the canvas, where it cannot be dragged,
// and keeps its Leaflet map to itself; so every map is recorded here by its container as
// Leaflet creates it, and the editor finds the one inside its own map area and puts a
// draggable marker on it.
import L from 'leaflet';
import { untrack } from 'svelte';

const byContainer = new WeakMap<HTMLElement, L.Map>();
/** Bumped when a map is created or removed, so an effect looking for one runs again. */
export const leafletMaps = $state({ changes: 0 });

L.Map.addInitHook(function (this: L.Map) {
  const container = this.getContainer();
  byContainer.set(container, this);
  this.on('unload', () => {
    byContainer.delete(container);
    untrack(() => leafletMaps.changes++);
  });
  untrack(() => leafletMaps.changes++);
});

/** The live Leaflet map whose container is `root` or inside it. */
export function leafletMapIn(root: HTMLElement | undefined): L.Map | undefined {
  if (!root) return undefined;
  const own = byContainer.get(root);
  if (own) return own;
  for (const el of root.querySelectorAll<HTMLElement>('.leaflet-container')) {
    const map = byContainer.get(el);
    if (map) return map;
  }
  return undefined;
}

const PANE = 'tw-region-pin';

/** A marker that can be dragged; where it is dropped goes to `onMove` (lon, lat). Its
 *  element has data-testid="region-pin". */
export class DragPin {
  readonly marker: L.Marker;

  constructor(
    private readonly map: L.Map,
    onMove: (lon: number, lat: number) => void,
  ) {
    // Its own pane, over the unit and place markers (600), under tooltips (650).
    if (!map.getPane(PANE)) map.createPane(PANE).style.zIndex = '640';
    this.marker = L.marker([0, 0], {
      pane: PANE,
      draggable: true,
      autoPan: true,
      icon: L.divIcon({ className: 'region-pin', iconSize: [20, 20], iconAnchor: [10, 10] }),
    });
    this.marker.on('dragend', () => {
      const at = this.marker.getLatLng();
      onMove(at.lng, at.lat);
    });
    this.marker.on('add', () => this.marker.getElement()?.setAttribute('data-testid', 'region-pin'));
  }

  /** Shows the pin at a place's pending position (or hides it: `undefined`). */
  show(at: [number, number] | undefined, title: string) {
    if (!at) {
      this.marker.remove();
      return;
    }
    this.marker.setLatLng([at[1], at[0]]);
    this.marker.options.title = title;
    this.marker.getElement()?.setAttribute('title', title);
    if (!this.map.hasLayer(this.marker)) this.marker.addTo(this.map);
  }

  remove() {
    this.marker.remove();
  }
}
