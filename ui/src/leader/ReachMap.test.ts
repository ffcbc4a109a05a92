import { fireEvent, render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';
import { describe, expect, it } from 'vitest';
import type { IslandCollection, IslandFeature, IslandReach, ReachChange } from '../ipc/types';
import ReachMap from './ReachMap.svelte';
import { drawIslands } from './reach';

const square = (id: string, lon: number, lat: number, size: number, in_district = true): IslandFeature => ({
  type: 'Feature',
  properties: { id, name_zh: `${id}岛`, name_en: id, inhabited: true, in_district, population: null, confidence: 'high', estimated: false },
  geometry: { type: 'Polygon', coordinates: [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]] },
});
const islands: IslandCollection = {
  type: 'FeatureCollection',
  features: [square('zhoushan', 122.0, 30.0, 0.2), square('damao', 122.05, 29.9, 0.03), square('far', 122.3, 29.9, 0.01), square('ningbo', 121.5, 29.5, 0.4, false)],
};
const row = (island: string, band: IslandReach['band'], eta_s: number | null, mode: IslandReach['mode'], carrier?: string): IslandReach => ({
  island, name_zh: `${island}岛`, name_en: island, place: `${island}_village`, eta_s, mode, unit: eta_s == null ? null : 'patrol_01', carrier,
  target_s: 2700, within_target: band === 'within', band,
});
const rows = [row('zhoushan', 'within', 600, 'road'), row('damao', 'twice', 3600, 'carried', 'boat_01'), row('far', 'unreachable', null, null)];
const islandName = (_id: string, fallback: string) => fallback;

describe('drawIslands', () => {
  it('fits the district north up, east right, keeping shapes (longitude scaled by cos latitude)', () => {
    const d = drawIslands(islands, 500);
    expect(d.width).toBe(500);
    const [zx, zy] = d.marks.get('zhoushan')!;
    const [dx, dy] = d.marks.get('damao')!;
    const [fx] = d.marks.get('far')!;
    expect(dy).toBeGreaterThan(zy); // 大猫 is south of 舟山: lower on the map
    expect(fx).toBeGreaterThan(dx); // and east is right
    // The district spans 0.31° east-west and 0.3° north-south about 30.05°N: once the
    // longitude is scaled (0.31 × cos 30.05° = 0.268), taller than wide (12 px margins).
    const expected = (0.3 / (0.31 * Math.cos((30.05 * Math.PI) / 180))) * (500 - 24) + 24;
    expect(Math.abs(d.height - expected)).toBeLessThan(2);
    expect(d.height).toBeGreaterThan(d.width);
    // An island outside the district is drawn (in its grey) but does not set the box.
    expect(d.shapes.map((s) => s.id)).toContain('ningbo');
    expect(zx).toBeGreaterThan(0);
    expect(drawIslands({ type: 'FeatureCollection', features: [] }).shapes).toEqual([]);
  });
});

describe('ReachMap', () => {
  it('fills each reached island by its band, marks how, and shows the legend', () => {
    render(ReachMap, { islands, rows, islandName });
    const marks = screen.getAllByTestId('reach-mark');
    expect(marks.map((m) => [m.dataset.island, m.dataset.band, m.textContent?.trim()])).toEqual([
      ['zhoushan', 'within', '路'],
      ['damao', 'twice', '载'],
      ['far', 'unreachable', '✕'],
    ]);
    const fill = (id: string) => screen.getAllByTestId('reach-shape').find((s) => s.dataset.island === id)?.getAttribute('fill');
    expect(new Set([fill('zhoushan'), fill('damao'), fill('far')]).size).toBe(3);
    expect(screen.getAllByTestId('reach-shape')).toHaveLength(3); // ningbo is no reach island
    const legend = screen.getByTestId('reach-legend').textContent ?? '';
    for (const t of ['目标内', '超出目标（2倍内）', '超出目标2倍以上', '无法到达', '经桥梁', '警艇运送']) expect(legend).toContain(t);
    expect(screen.queryByTestId('reach-changed-count')).toBeNull();
  });

  it('tells the island, unit, ETA and mode on hover, and keeps it on click', async () => {
    render(ReachMap, { islands, rows, islandName });
    const damao = screen.getAllByTestId('reach-mark')[1];
    expect(screen.getByTestId('reach-detail').textContent).toContain('悬停');
    await fireEvent.mouseEnter(damao);
    const text = screen.getByTestId('reach-detail').textContent ?? '';
    expect(text).toContain('damao岛');
    expect(text).toContain('60 分钟');
    expect(text).toContain('目标 45');
    expect(text).toContain('警艇运送');
    expect(text).toContain('patrol_01 / boat_01');
    await fireEvent.mouseLeave(damao);
    expect(screen.getByTestId('reach-detail').textContent).toContain('悬停');
    await fireEvent.click(screen.getAllByTestId('reach-mark')[2]);
    expect(screen.getByTestId('reach-detail').textContent).toContain('无警力可达');
    // The keyboard picks too: Enter on the focused mark toggles it.
    await fireEvent.keyDown(screen.getAllByTestId('reach-mark')[2], { key: 'Enter' });
    expect(screen.getByTestId('reach-detail').textContent).toContain('悬停');
  });

  it('outlines the islands a scenario changes, with the baseline on hover', async () => {
    const changed: ReachChange[] = [{ island: 'damao', before: 'beyond', after: 'twice', before_eta_s: 27000, after_eta_s: 3600, better: true }];
    render(ReachMap, { islands, rows, changed, islandName });
    const marks = screen.getAllByTestId('reach-mark');
    expect(marks.map((m) => m.dataset.changed)).toEqual([undefined, 'better', undefined]);
    expect(screen.getByTestId('reach-changed-count').textContent).toContain('1');
    await fireEvent.mouseEnter(marks[1]);
    expect(screen.getByTestId('reach-was').textContent).toContain('450 分钟');
    expect(screen.getByTestId('reach-was').textContent).toContain('超出目标2倍以上');
  });

  it('zooms with the wheel about the pointer, the buttons and the keys; marks keep their size', async () => {
    render(ReachMap, { islands, rows, islandName });
    const svg = screen.getByTestId('reach-svg');
    const whole = svg.getAttribute('viewBox');
    const zoom = () => screen.getByTestId('reach-zoom').textContent;
    expect(zoom()).toBe('×1.0');
    await fireEvent.wheel(svg, { deltaY: -100, clientX: 100, clientY: 100 });
    expect(zoom()).toBe('×1.3');
    // (In the test DOM a pixel is a drawing unit: the point (100, 100) stays put.)
    const [x, y, w] = svg.getAttribute('viewBox')!.split(' ').map(Number);
    expect(w).toBeCloseTo(560 / 1.25);
    expect(x).toBeCloseTo(100 - 100 / 1.25);
    expect(y).toBeCloseTo(100 - 100 / 1.25);
    // Marks are drawn 1/zoom as large, so they keep their size on screen.
    expect(screen.getAllByTestId('reach-mark')[0].getAttribute('transform')).toContain('scale(0.8000)');
    await fireEvent.click(screen.getByTestId('reach-zoom-in'));
    expect(zoom()).toBe('×1.6');
    await fireEvent.keyDown(svg, { key: '-' });
    expect(zoom()).toBe('×1.3');
    await fireEvent.keyDown(svg, { key: '+' });
    await fireEvent.keyDown(svg, { key: '+' });
    expect(zoom()).toBe('×2.0');
    await fireEvent.keyDown(svg, { key: '0' });
    expect(svg.getAttribute('viewBox')).toBe(whole);
    await fireEvent.wheel(svg, { deltaY: 100, clientX: 10, clientY: 10 });
    expect(svg.getAttribute('viewBox')).toBe(whole); // no further out than the whole
    await fireEvent.click(screen.getByTestId('reach-zoom-in'));
    await fireEvent.click(screen.getByTestId('reach-zoom-reset'));
    expect(svg.getAttribute('viewBox')).toBe(whole);
  });

  it('pans by a drag, which picks no island', async () => {
    render(ReachMap, { islands, rows, islandName });
    const svg = screen.getByTestId('reach-svg');
    await fireEvent.click(screen.getByTestId('reach-zoom-in'));
    await fireEvent.click(screen.getByTestId('reach-zoom-in'));
    const before = svg.getAttribute('viewBox')!.split(' ').map(Number);
    const mark = screen.getAllByTestId('reach-mark')[1];
    // (jsdom has no PointerEvent: mouse events of the pointer's names carry the coordinates.)
    const pointer = (el: Element, type: string, clientX: number, clientY: number) =>
      fireEvent(el, new MouseEvent(type, { bubbles: true, button: 0, clientX, clientY }));
    await pointer(mark, 'pointerdown', 200, 200);
    await pointer(svg, 'pointermove', 190, 215);
    await pointer(svg, 'pointermove', 180, 230);
    await pointer(svg, 'pointerup', 180, 230);
    await fireEvent.click(mark);
    const after = svg.getAttribute('viewBox')!.split(' ').map(Number);
    // Dragged 20 px left and 30 px down: the view moves 20 units right and 30 up.
    expect(after[0] - before[0]).toBeCloseTo(20);
    expect(after[1] - before[1]).toBeCloseTo(-30);
    expect(screen.getByTestId('reach-detail').textContent).toContain('悬停');
    // A plain click still picks.
    await fireEvent.click(mark);
    expect(screen.getByTestId('reach-detail').textContent).toContain('damao岛');
  });

  it('centres on an island shown from outside (the table), and keeps the view over new data', async () => {
    const { component, rerender } = render(ReachMap, { islands, rows, islandName });
    const svg = screen.getByTestId('reach-svg');
    component.show('far');
    await tick();
    const [x, y, w, h] = svg.getAttribute('viewBox')!.split(' ').map(Number);
    expect(w).toBeCloseTo(560 / 4);
    const [fx, fy] = drawIslands(islands).marks.get('far')!;
    // 'far' is at the east edge: centred as far as the drawing allows.
    expect(fx).toBeGreaterThan(x);
    expect(fx).toBeLessThan(x + w);
    expect(fy).toBeGreaterThan(y);
    expect(fy).toBeLessThan(y + h);
    expect(screen.getByTestId('reach-detail').textContent).toContain('无警力可达');
    const view = svg.getAttribute('viewBox');
    // Side B, other ferries: new rows, the same islands: the view stays.
    await rerender({ islands, rows: [row('zhoushan', 'within', 600, 'road'), row('damao', 'beyond', 9000, 'ferry'), row('far', 'within', 900, 'boat')], islandName });
    expect(svg.getAttribute('viewBox')).toBe(view);
    expect(screen.getAllByTestId('reach-mark').map((m) => m.dataset.band)).toEqual(['within', 'beyond', 'within']);
  });
});
