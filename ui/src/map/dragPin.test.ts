import L from 'leaflet';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DragPin } from './dragPin';

describe('the map’s draggable pin', () => {
  const roots: HTMLElement[] = [];
  function mapIn(): { root: HTMLElement; map: L.Map } {
    const root = document.createElement('div');
    const inner = document.createElement('div');
    root.append(inner);
    document.body.append(root);
    roots.push(root);
    const map = L.map(inner, { center: [30, 122.1], zoom: 12 });
    return { root, map };
  }
  afterEach(() => {
    for (const r of roots.splice(0)) r.remove();
  });

  it('shows a draggable marker at the position and reports where it is dropped', () => {
    const { root, map } = mapIn();
    const onMove = vi.fn();
    const pin = new DragPin(map, onMove);
    pin.show([122.125, 30.018], 'Drag to move this place');
    const el = root.querySelector<HTMLElement>('[data-testid="drag-pin"]');
    expect(el).not.toBeNull();
    expect(el!.title).toBe('Drag to move this place');
    expect(pin.marker.dragging?.enabled()).toBe(true);
    expect(pin.marker.getLatLng()).toMatchObject({ lat: 30.018, lng: 122.125 });
    // Leaflet's drag handler moves the marker, then fires dragend.
    pin.marker.setLatLng([30.0195, 122.121512345]);
    pin.marker.fire('dragend');
    expect(onMove).toHaveBeenCalledWith(122.121512345, 30.0195);
    pin.show(undefined, '');
    expect(root.querySelector('[data-testid="drag-pin"]')).toBeNull();
    map.remove();
  });
});
