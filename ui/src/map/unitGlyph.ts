// A unit drawn on the map's canvas instead of as a DOM marker. With 1,000 units moving every
// second, DOM markers cost ~70 ms of style and paint per refresh (tests/playwright/map-load);
// one canvas redraw costs a few ms. Each unit is a CircleMarker (so the canvas renderer does
// its hit-testing, hover, clicks and tooltip) whose drawing is a cached sprite with the same
// look as the DOM marker and the legend swatch (app.css `.unit-*`): shape and colour by kind,
// a one-character glyph, a ring by status, off duty faded grey.
import L from 'leaflet';
import { unitStyle, type UnitStyle } from './style';

/** The unit box, as the DOM marker's icon (layers.ts `unitIcon`). */
export const UNIT_SIZE = 20;
/** Room around the box for the status ring (3 px) and the drop shadow (3 px blur, 1 px down). */
const MARGIN = 7;
const SPRITE = UNIT_SIZE + 2 * MARGIN;

/** The ring a busy unit gets: the same colours as app.css `.unit-status-*`. */
export const STATUS_RING: Record<string, string> = {
  dispatched: '#f59f00',
  en_route: '#e8590c',
  on_scene: '#c92a2a',
};
/** Joint teams' own ring (app.css `.unit-joint`); a status ring replaces it. */
const JOINT_RING = '#f59f00';
const OUTLINE = 'rgba(0, 0, 0, 0.35)';
/** app.css `.unit-status-off_duty`: opacity 0.35 and grayscale. */
const OFF_DUTY_ALPHA = 0.35;

/** What a unit looks like: everything its sprite depends on. */
export interface UnitLook {
  kind: string;
  status: string;
  /** The kind's one-character badge in the current language. */
  glyph: string;
}

interface Sprite {
  canvas: HTMLCanvasElement;
  alpha: number;
}

type Radii = [number, number, number, number]; // top-left, top-right, bottom-right, bottom-left

/** Corner radii by shape, as the CSS border-radius of `.unit-circle` etc. */
const RADII: Record<UnitStyle['shape'], Radii> = {
  circle: [10, 10, 10, 10],
  square: [3, 3, 3, 3],
  boat: [3, 3, 10, 10],
  joint: [6, 6, 6, 6],
};

/** CSS `grayscale(1)`: the colour's luminance. */
function grey(hex: string): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return hex;
  const [r, g, b] = m.slice(1).map((h) => parseInt(h, 16));
  const y = Math.round(0.2126 * r + 0.7152 * g + 0.0722 * b);
  return `rgb(${y}, ${y}, ${y})`;
}

/** A rounded box grown by `grow` px on every side (a CSS box-shadow spread grows the radii too). */
function roundedBox(ctx: CanvasRenderingContext2D, grow: number, radii: Radii): void {
  const x = MARGIN - grow;
  const y = MARGIN - grow;
  const s = UNIT_SIZE + 2 * grow;
  const [tl, tr, br, bl] = radii.map((r) => Math.max(0, Math.min(s / 2, r + grow)));
  ctx.beginPath();
  ctx.moveTo(x + tl, y);
  ctx.arcTo(x + s, y, x + s, y + s, tr);
  ctx.arcTo(x + s, y + s, x, y + s, br);
  ctx.arcTo(x, y + s, x, y, bl);
  ctx.arcTo(x, y, x + s, y, tl);
  ctx.closePath();
}

let fontFamily: string | undefined;

function drawSprite(look: UnitLook): Sprite | undefined {
  // The canvas renderer doubles its resolution on retina screens only (Leaflet's rule).
  const scale = L.Browser.retina ? 2 : 1;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = SPRITE * scale;
  const ctx = canvas.getContext('2d');
  if (!ctx) return undefined;
  ctx.scale(scale, scale);
  const st = unitStyle(look.kind);
  const offDuty = look.status === 'off_duty';
  const paint = (c: string) => (offDuty ? grey(c) : c);
  const radii = RADII[st.shape];
  const ring = STATUS_RING[look.status]
    ? { width: 3, color: STATUS_RING[look.status] }
    : st.shape === 'joint'
      ? { width: 2, color: JOINT_RING }
      : { width: 1, color: OUTLINE };

  // Drop shadow under the box (shadow sizes are in device pixels, not scaled).
  ctx.save();
  ctx.shadowColor = OUTLINE;
  ctx.shadowBlur = 3 * scale;
  ctx.shadowOffsetY = scale;
  roundedBox(ctx, 0, radii);
  ctx.fillStyle = '#fff';
  ctx.fill();
  ctx.restore();
  // Ring, white border (2 px), kind colour, glyph.
  roundedBox(ctx, ring.width, radii);
  ctx.fillStyle = paint(ring.color);
  ctx.fill();
  roundedBox(ctx, 0, radii);
  ctx.fillStyle = '#fff';
  ctx.fill();
  roundedBox(ctx, -2, radii);
  ctx.fillStyle = paint(st.color);
  ctx.fill();
  fontFamily ??= getComputedStyle(document.body).fontFamily || 'sans-serif';
  ctx.font = `700 11px ${fontFamily}`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillStyle = '#fff';
  ctx.fillText(look.glyph, SPRITE / 2, SPRITE / 2 + 0.5);
  return { canvas, alpha: offDuty ? OFF_DUTY_ALPHA : 1 };
}

// A handful of looks (kinds × statuses × languages), each drawn once.
const sprites = new Map<string, Sprite | undefined>();

function spriteFor(look: UnitLook): Sprite | undefined {
  const key = lookKey(look);
  if (!sprites.has(key)) sprites.set(key, drawSprite(look));
  return sprites.get(key);
}

export function lookKey(look: UnitLook): string {
  return `${look.kind}|${look.status}|${look.glyph}`;
}

/** Leaflet's own fields and the canvas renderer's, which the drawing below needs. */
interface Internals {
  _map: L.Map | null;
  _latlng: L.LatLng;
  _point: L.Point;
  _pxBounds: L.Bounds;
  _renderer: { _ctx?: CanvasRenderingContext2D; _drawing?: boolean };
  _empty(): boolean;
}
const inner = (g: UnitGlyph) => g as unknown as Internals;

/**
 * One unit on a canvas renderer: moved with `setLatLng`, restyled with `restyle` only when
 * its look or fan-out offset changes. Hovering shows its tooltip and raises it; a click opens
 * the tooltip and, like a DOM marker's, does not reach the map (no pick).
 */
export class UnitGlyph extends L.CircleMarker {
  look: UnitLook;
  /** Pixel offset from the position (units sharing a base are fanned out, layers.ts `fanOut`). */
  offset: L.Point;
  /** Drawn faded (its crew's fix is stale). */
  dim = false;

  constructor(latlng: L.LatLngExpression, look: UnitLook, offset: [number, number] = [0, 0]) {
    // The radius is the hit area: the 20 px box.
    super(latlng, { radius: UNIT_SIZE / 2, bubblingMouseEvents: false });
    this.look = look;
    this.offset = L.point(offset);
    this.on('mouseover', () => this.bringToFront());
  }

  restyle(look: UnitLook, offset: [number, number]): this {
    this.look = look;
    this.offset = L.point(offset);
    return this.redraw();
  }

  setDim(dim: boolean): this {
    this.dim = dim;
    return this.redraw();
  }

  // ---- Leaflet's CircleMarker hooks (called by the canvas renderer).

  _project(): void {
    const i = inner(this);
    if (!i._map) return;
    i._point = i._map.latLngToLayerPoint(i._latlng).add(this.offset);
    this._updateBounds();
  }

  /** The area to clear and redraw: the whole sprite, ring and shadow included. */
  _updateBounds(): void {
    const i = inner(this);
    const h = SPRITE / 2;
    i._pxBounds = L.bounds(i._point.subtract([h, h]), i._point.add([h, h]));
  }

  _updatePath(): void {
    const i = inner(this);
    const ctx = i._renderer._ctx;
    if (!i._renderer._drawing || !ctx || i._empty()) return;
    const sprite = spriteFor(this.look);
    if (!sprite) return;
    // Whole pixels keep the glyph sharp.
    const x = Math.round(i._point.x) - SPRITE / 2;
    const y = Math.round(i._point.y) - SPRITE / 2;
    ctx.globalAlpha = sprite.alpha * (this.dim ? 0.4 : 1);
    ctx.drawImage(sprite.canvas, x, y, SPRITE, SPRITE);
    ctx.globalAlpha = 1;
  }

  /** Where the tooltip points: the top of the box, as the DOM marker's `tooltipAnchor`. */
  _getTooltipAnchor(): [number, number] {
    return [this.offset.x, this.offset.y - UNIT_SIZE / 2];
  }
}
