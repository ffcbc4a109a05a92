// Zoom and pan of the island maps (issue #16): the SVG's viewBox, in the drawing's own
// units. Pure maths, unit-tested in zoom.test.ts; IslandMap.svelte wires it to the wheel,
// the buttons, the keys and a drag.

/** A viewBox: its top-left corner and size, in drawing units. */
export interface View {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** How far one may zoom in: the southern islands are a few pixels across at 1×. */
export const MAX_ZOOM = 16;
/** One wheel notch or one press of + or −. */
export const STEP = 1.25;
/** Centring on an island zooms in at least this far, so that its neighbours separate. */
export const CENTRE_ZOOM = 4;

/** The whole drawing. */
export const whole = (width: number, height: number): View => ({ x: 0, y: 0, w: width, h: height });

/** Magnification of `v` against the whole drawing (1 = all of it). */
export const zoomOf = (v: View, all: View): number => all.w / v.w;

/** `v` kept within the drawing: its size between the whole and 1/MAX_ZOOM of it (the
 *  drawing's aspect kept), its box inside the drawing. */
export function clamp(v: View, all: View): View {
  const zoom = Math.min(MAX_ZOOM, Math.max(1, zoomOf(v, all)));
  const w = all.w / zoom;
  const h = all.h / zoom;
  const x = Math.min(all.x + all.w - w, Math.max(all.x, v.x));
  const y = Math.min(all.y + all.h - h, Math.max(all.y, v.y));
  return { x, y, w, h };
}

/** Zoomed by `factor` (>1: in) about the drawing point (px, py), which stays where it is on
 *  the screen (unless the drawing's edge stops it). */
export function zoomAbout(v: View, all: View, factor: number, px: number, py: number): View {
  const next = clamp({ x: 0, y: 0, w: v.w / factor, h: v.h / factor }, all);
  const k = next.w / v.w;
  return clamp({ x: px - (px - v.x) * k, y: py - (py - v.y) * k, w: next.w, h: next.h }, all);
}

/** Zoomed by `factor` about the view's centre (the buttons and the keys). */
export const zoomCentre = (v: View, all: View, factor: number): View => zoomAbout(v, all, factor, v.x + v.w / 2, v.y + v.h / 2);

/** Moved by (dx, dy) drawing units (the view's content moves the other way). */
export const panBy = (v: View, all: View, dx: number, dy: number): View => clamp({ ...v, x: v.x + dx, y: v.y + dy }, all);

/** Centred on the drawing point (px, py), zoomed in to at least `minZoom`. */
export function centreOn(v: View, all: View, px: number, py: number, minZoom = CENTRE_ZOOM): View {
  const zoom = Math.max(zoomOf(v, all), minZoom);
  const size = clamp({ x: 0, y: 0, w: all.w / zoom, h: all.h / zoom }, all);
  return clamp({ x: px - size.w / 2, y: py - size.h / 2, w: size.w, h: size.h }, all);
}

/** The drawing point under the screen point (cx, cy), for an SVG laid out in `rect` and
 *  showing `v` (its box has the view's aspect). An element not laid out (a test's DOM)
 *  counts as drawn at 1 px per unit from its top-left corner. */
export function toDrawing(v: View, rect: { left: number; top: number; width: number; height: number }, cx: number, cy: number): [number, number] {
  if (!(rect.width > 0 && rect.height > 0)) return [v.x + (cx - rect.left), v.y + (cy - rect.top)];
  return [v.x + ((cx - rect.left) / rect.width) * v.w, v.y + ((cy - rect.top) / rect.height) * v.h];
}

/** Screen pixels as drawing units (for a drag). */
export function pixelsToDrawing(v: View, rectWidth: number, px: number): number {
  return rectWidth > 0 ? (px / rectWidth) * v.w : px;
}

/** The viewBox attribute. */
export const viewBox = (v: View): string => [v.x, v.y, v.w, v.h].map((n) => Number(n.toFixed(2))).join(' ');
