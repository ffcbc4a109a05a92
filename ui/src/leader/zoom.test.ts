import { describe, expect, it } from 'vitest';
import { CENTRE_ZOOM, MAX_ZOOM, centreOn, clamp, panBy, pixelsToDrawing, toDrawing, viewBox, whole, zoomAbout, zoomCentre, zoomOf } from './zoom';

const all = whole(560, 700);

describe('the map view (viewBox maths)', () => {
  it('zooms about a point that stays put on the screen', () => {
    const v = zoomAbout(all, all, 2, 140, 350);
    expect(v.w).toBe(280);
    expect(v.h).toBe(350);
    // The point was a quarter across and half down the view: it still is.
    expect((140 - v.x) / v.w).toBeCloseTo(0.25);
    expect((350 - v.y) / v.h).toBeCloseTo(0.5);
    expect(zoomOf(v, all)).toBe(2);
    // Out again by the same factor: the whole drawing.
    expect(zoomAbout(v, all, 0.5, 140, 350)).toEqual(all);
  });

  it('keeps the zoom between the whole drawing and MAX_ZOOM, and the view inside the drawing', () => {
    expect(zoomCentre(all, all, 0.5)).toEqual(all);
    let v = all;
    for (let i = 0; i < 40; i++) v = zoomCentre(v, all, 1.25);
    expect(zoomOf(v, all)).toBeCloseTo(MAX_ZOOM);
    // Zooming about a corner point cannot push the view off the drawing.
    const corner = zoomAbout(all, all, 3, 0, 0);
    expect([corner.x, corner.y]).toEqual([0, 0]);
    const edge = zoomAbout(all, all, 3, 560, 700);
    expect(edge.x + edge.w).toBeCloseTo(560);
    expect(edge.y + edge.h).toBeCloseTo(700);
    const c = clamp({ x: -50, y: 900, w: 100, h: 10 }, all);
    expect([c.x, c.y, c.w, c.h].map((n) => Math.round(n * 1e6) / 1e6)).toEqual([0, 575, 100, 125]);
  });

  it('pans by drawing units, stopping at the edge', () => {
    const v = zoomCentre(all, all, 2); // x 140, y 175
    expect(panBy(v, all, 40, -25)).toEqual({ x: 180, y: 150, w: 280, h: 350 });
    expect(panBy(v, all, 1000, 1000)).toEqual({ x: 280, y: 350, w: 280, h: 350 });
    expect(panBy(all, all, 10, 10)).toEqual(all); // nothing to pan at 1×
  });

  it('centres on an island, zoomed in at least CENTRE_ZOOM, further if it already was', () => {
    const v = centreOn(all, all, 300, 400);
    expect(zoomOf(v, all)).toBe(CENTRE_ZOOM);
    expect(v.x + v.w / 2).toBeCloseTo(300);
    expect(v.y + v.h / 2).toBeCloseTo(400);
    const deep = zoomCentre(zoomCentre(v, all, 2), all, 1);
    expect(zoomOf(centreOn(deep, all, 300, 400), all)).toBeCloseTo(8);
    // An island at the edge: as near the middle as the drawing allows.
    const e = centreOn(all, all, 555, 5);
    expect([e.x + e.w, e.y]).toEqual([560, 0]);
  });

  it('turns screen points and pixels into drawing units', () => {
    const v = { x: 100, y: 200, w: 140, h: 175 };
    const rect = { left: 10, top: 20, width: 280, height: 350 };
    expect(toDrawing(v, rect, 10 + 140, 20 + 35)).toEqual([170, 217.5]);
    expect(pixelsToDrawing(v, 280, 28)).toBe(14);
    // Not laid out (a test's DOM): a pixel a unit.
    expect(toDrawing(v, { left: 0, top: 0, width: 0, height: 0 }, 5, 6)).toEqual([105, 206]);
    expect(viewBox({ x: 1.234567, y: 0, w: 280, h: 350 })).toBe('1.23 0 280 350');
  });
});
