import L from 'leaflet';
import { describe, expect, it, vi } from 'vitest';
import fixture from '../fixtures/map_view.json';
import type { Board, ClosedLink, MapView } from '../ipc/types';
import { buildLayers, unitIcon } from './layers';
import { CANVAS_UNITS_ABOVE, DOM_UNITS_BELOW, LiveUnits, buildLiveLayers, closureMarkers, withClosures } from './live';
import { UnitGlyph, UNIT_SIZE } from './unitGlyph';
import { LINK } from './style';

const view = fixture as unknown as MapView;
const closed: ClosedLink[] = [
  { id: 'b1', kind: 'bridge', reason: { by: 'wind', force: 11, limit: 11 } },
  { id: 'f1', kind: 'ferry', reason: { by: 'hand' } },
];

const board: Board = {
  at: 0,
  incidents: [
    { id: 7, state: 'received', incident_type: 'fight', priority: 1, island: 'big', lon: 122.1, lat: 30.02, unit: null, since_s: 30, level: 'ok', route_mode: null, eta_s: null, board_mode: null, amber_s: 60, red_s: 120 },
    { id: 8, state: 'en_route', incident_type: 'theft', priority: 3, island: 'big', lon: 122.11, lat: 30.03, unit: 'u2', since_s: 30, level: 'red', route_mode: 'road', eta_s: 300, board_mode: 'road', amber_s: 300, red_s: 450 },
  ],
  units: [
    { unit: 'u1', call_sign: 'S1', kind: 'station', status: 'available', island: 'big', position: 'p_u1', lon: 122.1, lat: 30.02, incident: null, since_s: null },
    { unit: 'u2', call_sign: 'T1', kind: 'traffic', status: 'en_route', island: 'big', position: 'p_u2', lon: 122.1, lat: 30.02, incident: 8, since_s: 20 },
    { unit: 'u5', call_sign: 'B1', kind: 'boat', status: 'off_duty', island: 'big', position: 'p_u5', lon: 122.12, lat: 30.01, incident: null, since_s: 5 },
  ],
};

const html = (m: L.Layer) => String(((m as L.Marker).options.icon as L.DivIcon).options.html);

describe('closed links on the map', () => {
  it('draws closed bridges and suspended crossings grey and dashed, others as before', () => {
    const open = buildLayers(view, { lang: 'en', showEstimates: false });
    const shut = buildLayers(withClosures(view, closed), { lang: 'en', showEstimates: false });
    const bridgeOpen = open.bridges.getLayers()[0] as L.Polyline;
    const bridgeShut = shut.bridges.getLayers()[0] as L.Polyline;
    expect(bridgeOpen.options.color).toBe(LINK.bridge.color);
    expect(bridgeShut.options.color).toBe(LINK.bridgeClosed.color);
    expect(bridgeShut.options.dashArray).toBe(LINK.bridgeClosed.dashArray);
    expect((shut.ferries.getLayers()[0] as L.Polyline).options.dashArray).toBe(LINK.ferrySuspended.dashArray);
    expect(withClosures(view, [])).toBe(view);
  });

  it('puts a ✕ with the reason at the middle of each closed link', () => {
    const g = closureMarkers(view, closed, 'en');
    const markers = g.getLayers() as L.Marker[];
    expect(markers).toHaveLength(2);
    expect(html(markers[0])).toContain('data-kind="bridge"');
    expect(html(markers[0])).toContain('data-by="wind"');
    expect(markers[0].getLatLng().lat).toBeCloseTo((30.06 + 30.05) / 2);
    expect(String(markers[0].getTooltip()?.getContent())).toContain('wind force 11 (limit 11)');
    expect(html(markers[1])).toContain('data-by="hand"');
    // A link the view does not know is skipped, not drawn at 0,0.
    expect(closureMarkers(view, [{ id: 'zz', kind: 'bridge', reason: { by: 'hand' } }], 'en').getLayers()).toHaveLength(0);
  });
});

describe('open incidents and units by status', () => {
  it('draws one marker per open incident, coloured by priority, and opens it on click', () => {
    const onIncident = vi.fn();
    const live = buildLiveLayers(board, 'zh-CN', onIncident);
    expect(live.counts).toEqual({ incidents: 2, busyUnits: 2 });
    const [p1, p3] = live.incidents.getLayers() as L.Marker[];
    expect(html(p1)).toContain('data-priority="1"');
    expect(html(p1)).toContain('#c92a2a');
    expect((p3.options.icon as L.DivIcon).options.className).toContain('incident-level-red');
    p3.fire('click');
    expect(onIncident).toHaveBeenCalledWith(8);
  });

  it('marks busy units by status at their current position', () => {
    const live = buildLiveLayers(board, 'en', () => {});
    const units = live.units.getLayers() as L.Marker[];
    expect(units).toHaveLength(3);
    const cls = units.map((u) => (u.options.icon as L.DivIcon).options.className);
    expect(cls[1]).toContain('unit-status-en_route');
    expect(cls[2]).toContain('unit-status-off_duty');
    expect(String(units[1].getTooltip()?.getContent())).toContain('en route · #8');
  });
});

describe('the patrol plan beside each unit (#18)', () => {
  it('says in the tooltip where the published plan wants the unit, in the region\'s time', () => {
    // 2026-09-21 09:30–11:30 in Asia/Shanghai.
    const planned = {
      plan: 4, kind: 'checkpoint' as const, place: 'dh_pier', name_zh: '定海客运码头', name_en: 'Dinghai passenger pier',
      island: 'zhoushan', from_utc: 1789954200, to_utc: 1789961400, operation: '2026-09-21/09:30-11:30/u2',
    };
    const units = board.units.map((u) => (u.unit === 'u2' ? { ...u, planned } : u));
    const live = new LiveUnits();
    live.update(units, 'zh-CN', undefined, 'Asia/Shanghai');
    const [s1, t1] = live.layer.getLayers() as L.Marker[];
    expect(String(t1.getTooltip()?.getContent())).toContain('计划：卡点 定海客运码头 09:30–11:30');
    expect(String(s1.getTooltip()?.getContent())).not.toContain('计划');
    const stop = { ...planned, kind: 'patrol_stop' as const, operation: undefined, stop: 3, stops: 8 };
    live.update(board.units.map((u) => (u.unit === 'u2' ? { ...u, planned: stop } : u)), 'en', undefined, 'Asia/Shanghai');
    expect(String(t1.getTooltip()?.getContent())).toContain('plan: patrol stop 3 of 8, Dinghai passenger pier (until 11:30)');
  });
});

describe('units kept across board refreshes', () => {
  it('moves the same markers in place, redraws an icon only when its status changes, drops units that left', () => {
    const live = new LiveUnits();
    expect(live.update(board.units, 'en')).toBe(2);
    const before = live.layer.getLayers() as L.Marker[];
    const icons = before.map((m) => m.options.icon);
    const moved = board.units.map((u) => ({ ...u, lon: u.lon + 0.01 }));
    moved[2] = { ...moved[2], status: 'available' };
    expect(live.update(moved, 'en')).toBe(1);
    const after = live.layer.getLayers() as L.Marker[];
    expect(after).toEqual(before); // the same marker objects: nothing re-created
    expect(after[0].getLatLng().lng).toBeCloseTo(122.11);
    expect(after[0].options.icon).toBe(icons[0]);
    expect(after[2].options.icon).not.toBe(icons[2]);
    expect(html(after[2])).toContain('data-status="available"');
    expect(String(after[1].getTooltip()?.getContent())).toContain('en route · #8');
    live.update(moved.slice(0, 1), 'en');
    expect(live.layer.getLayers()).toEqual([before[0]]);
  });
});

describe('many units on the canvas', () => {
  it('draws a district fleet as DOM markers and a big board as canvas glyphs', () => {
    const live = new LiveUnits();
    live.update(board.units, 'en');
    expect(live.renderer).toBe('dom');
    const many = Array.from({ length: CANVAS_UNITS_ABOVE + 1 }, (_, i) => ({
      ...board.units[i % 3],
      unit: `x${i}`,
      lon: 122 + i * 1e-3,
    }));
    live.update(many, 'en');
    expect(live.renderer).toBe('canvas');
    const layers = live.layer.getLayers();
    expect(layers).toHaveLength(many.length);
    for (const l of layers) expect(l).toBeInstanceOf(UnitGlyph);
    // Just under the threshold it stays on the canvas (no flip-flop as units come and go).
    live.update(many.slice(0, DOM_UNITS_BELOW), 'en');
    expect(live.renderer).toBe('canvas');
    // Well under it: DOM markers again, nothing of the canvas left.
    live.update(board.units, 'en');
    expect(live.renderer).toBe('dom');
    expect(live.layer.getLayers().every((l) => l instanceof L.Marker)).toBe(true);
  });

  it('moves glyphs in place, restyles one only when its status or language changes', () => {
    const live = new LiveUnits(2); // canvas above 2 units
    live.update(board.units, 'en');
    expect(live.renderer).toBe('canvas');
    const before = live.layer.getLayers() as UnitGlyph[];
    const looks = before.map((g) => g.look);
    expect(looks[2]).toEqual({ kind: 'boat', status: 'off_duty', glyph: 'B' });
    // u1 and u2 share a position: fanned out, as DOM markers are.
    expect(before[0].offset.equals(before[1].offset)).toBe(false);
    const moved = board.units.map((u) => ({ ...u, lon: u.lon + 0.01 }));
    moved[2] = { ...moved[2], status: 'available' };
    expect(live.update(moved, 'en')).toBe(1);
    const after = live.layer.getLayers() as UnitGlyph[];
    expect(after).toEqual(before);
    expect(after[0].getLatLng().lng).toBeCloseTo(122.11);
    expect(after[0].look).toBe(looks[0]); // untouched: not restyled
    expect(after[2].look).toEqual({ kind: 'boat', status: 'available', glyph: 'B' });
    expect(String(after[1].getTooltip()?.getContent())).toContain('en route · #8');
    live.update(moved, 'zh-CN');
    expect(after[2].look.glyph).toBe('艇');
    expect(String(after[2].getTooltip()?.getContent())).toContain('空闲');
  });

  it('behaves as a DOM marker: a click is no map pick, the tooltip points at the box', () => {
    const live = new LiveUnits(2);
    live.update(board.units, 'en');
    const [glyph] = live.layer.getLayers() as UnitGlyph[];
    expect(glyph.options.bubblingMouseEvents).toBe(false);
    expect(glyph.getRadius()).toBe(UNIT_SIZE / 2);
    const icon = unitIcon('en', { id: 'u1', kind: 'station' }, [glyph.offset.x, glyph.offset.y]);
    expect(glyph._getTooltipAnchor()).toEqual(icon.options.tooltipAnchor);
  });
});
