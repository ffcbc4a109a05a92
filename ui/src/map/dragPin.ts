// A pin that can be dragged (MapCanvas draws it when it is given `onPinMove`): the canvas
// pin cannot be dragged, so this one is a DOM marker in its own pane.
import L from 'leaflet';

const PANE = 'tw-drag-pin';

/** A marker that can be dragged; where it is dropped goes to `onMove` (lon, lat). Its
 *  element has data-testid="drag-pin". */
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
      icon: L.divIcon({ className: 'drag-pin', iconSize: [20, 20], iconAnchor: [10, 10] }),
    });
    this.marker.on('dragend', () => {
      const at = this.marker.getLatLng();
      onMove(at.lng, at.lat);
    });
    this.marker.on('add', () => this.marker.getElement()?.setAttribute('data-testid', 'drag-pin'));
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
