// What marks the stations on the canvas, as plain functions of the layout: each station's ring (a
// faint disc close up) and chime dots under the circles, and the names over them, each with a dark
// halo, kept inside the stage. Neither changes between frames, so neither is drawn per frame: the
// rings and dots go into the renderer's cached background, and each name is drawn once per layout
// into a small bitmap that a frame blits (stroking text on a software canvas costs as much as a
// hundred strike circles).
import type { VisualSettings } from '../store/visualSettings';
import type { SceneLayout } from './layout';

const OFFLINE_COLOR = '#6b7280';
const MARKER_COLOR = '#e5e7eb';
const RING_COLOR = 'rgba(229,231,235,0.35)';
const RING_DISC_COLOR = 'rgba(148,163,184,0.06)';
const SOLID: number[] = [];
const DASHED = [3, 3];
/** The dark edge around station names, as a share of their size: readable over land, circles and sea. */
const LABEL_HALO_SHARE = 0.28;

/** Rings and chime dots (drawn before the circles). */
export function drawStationMarks(context: CanvasRenderingContext2D, layout: SceneLayout, visual: VisualSettings): void {
  const { palette, markerStyle } = visual;
  if (markerStyle === 'hidden') return;
  const large = layout.mode !== 'map';
  for (const placement of layout.stations.values()) {
    const { station, x, y, ringRadius } = placement;
    const online = station.online;
    context.globalAlpha = online ? 1 : 0.6;
    if (markerStyle === 'ring') {
      context.setLineDash(online ? SOLID : DASHED);
      context.beginPath();
      context.arc(x, y, ringRadius, 0, 2 * Math.PI);
      if (large) {
        // A close-up's ring is a faint disc: the chime's place reads even while it is still.
        context.fillStyle = RING_DISC_COLOR;
        context.fill();
      }
      context.strokeStyle = online ? RING_COLOR : OFFLINE_COLOR;
      context.lineWidth = 1;
      context.stroke();
      context.setLineDash(SOLID);
    }
    const dot = large ? Math.max(4, ringRadius / 25) : Math.max(2, ringRadius / 5);
    for (let chime = 0; chime < placement.chimes.length; chime++) {
      const point = placement.chimes[chime]!;
      context.beginPath();
      context.arc(point.x, point.y, dot, 0, 2 * Math.PI);
      context.fillStyle = online ? (palette[chime % palette.length] ?? MARKER_COLOR) : OFFLINE_COLOR;
      context.fill();
    }
  }
  context.globalAlpha = 1;
}

export interface StationLabels {
  font: string;
  /** Font size, CSS px. */
  px: number;
  haloPx: number;
  placed: { text: string; x: number; y: number; online: boolean }[];
}

/** Each station's name and where it goes (inside the stage), measured once for a layout. */
export function placeLabels(context: CanvasRenderingContext2D, layout: SceneLayout): StationLabels {
  const font = `${layout.mode === 'map' ? 500 : 600} ${layout.labelPx}px system-ui, sans-serif`;
  const haloPx = layout.labelPx * LABEL_HALO_SHARE;
  context.font = font;
  const placed = [...layout.stations.values()].map(({ station, label }) => {
    const text = station.online ? station.name : `${station.name} (offline)`;
    const half = context.measureText(text).width / 2 + haloPx;
    return { text, x: Math.min(layout.width - half, Math.max(half, label.x)), y: label.y, online: station.online };
  });
  return { font, px: layout.labelPx, haloPx, placed };
}

/** A station's name drawn once, with its halo, at its place: device pixels, no transform needed. */
export interface LabelSprite {
  image: CanvasImageSource;
  left: number;
  top: number;
}

/** Room kept around a name's measured ink for anti-aliasing, device px. */
const LABEL_SPRITE_MARGIN_PX = 2;

/**
 * The names as bitmaps for `pixelRatio`, blitted over the circles each frame (drawLabelSprites),
 * measured on `measure` (any 2D context). Each is drawn at the same sub-pixel place as a name drawn
 * straight onto the canvas, so the picture is the same.
 */
export function renderLabelSprites(measure: CanvasRenderingContext2D, labels: StationLabels, visual: VisualSettings, pixelRatio: number): LabelSprite[] {
  if (visual.markerStyle === 'hidden' || visual.markerStyle === 'bare') return [];
  setLabelStyle(measure, labels, visual);
  return labels.placed.map((label) => {
    const ink = measure.measureText(label.text);
    const half = ink.width / 2;
    // Glyphs may reach past the advance width; the halo reaches half its stroke past the glyphs.
    const reach = labels.haloPx / 2;
    const leftCss = label.x - Math.max(half, ink.actualBoundingBoxLeft ?? half) - reach;
    const rightCss = label.x + Math.max(half, ink.actualBoundingBoxRight ?? half) + reach;
    const upCss = Math.max(ink.actualBoundingBoxAscent ?? labels.px, labels.px / 2) + reach;
    const downCss = Math.max(ink.actualBoundingBoxDescent ?? labels.px, labels.px / 2) + reach;
    const left = Math.floor(leftCss * pixelRatio) - LABEL_SPRITE_MARGIN_PX;
    const top = Math.floor((label.y - upCss) * pixelRatio) - LABEL_SPRITE_MARGIN_PX;
    const width = Math.ceil(rightCss * pixelRatio) + LABEL_SPRITE_MARGIN_PX - left;
    const height = Math.ceil((label.y + downCss) * pixelRatio) + LABEL_SPRITE_MARGIN_PX - top;
    const offscreen = typeof OffscreenCanvas === 'function' ? new OffscreenCanvas(width, height) : null;
    const canvas = offscreen ?? Object.assign(document.createElement('canvas'), { width, height });
    const context = canvas.getContext('2d') as CanvasRenderingContext2D;
    context.setTransform(pixelRatio, 0, 0, pixelRatio, -left, -top);
    setLabelStyle(context, labels, visual);
    drawLabel(context, label);
    return { image: offscreen ? offscreen.transferToImageBitmap() : canvas, left, top };
  });
}

/** Lets go of the bitmaps at once (not when collected): a page retuned live makes many. */
export function releaseLabelSprites(sprites: readonly LabelSprite[]): void {
  for (const { image } of sprites) if (typeof ImageBitmap === 'function' && image instanceof ImageBitmap) image.close();
}

/** The names, over the circles (drawn after them), on a context with no transform. */
export function drawLabelSprites(context: CanvasRenderingContext2D, sprites: readonly LabelSprite[]): void {
  for (const { image, left, top } of sprites) context.drawImage(image, left, top);
}

function setLabelStyle(context: CanvasRenderingContext2D, labels: StationLabels, visual: VisualSettings): void {
  context.font = labels.font;
  context.textBaseline = 'middle';
  context.textAlign = 'center';
  context.lineJoin = 'round';
  context.lineWidth = labels.haloPx;
  context.strokeStyle = visual.background;
}

function drawLabel(context: CanvasRenderingContext2D, { text, x, y, online }: StationLabels['placed'][number]): void {
  context.globalAlpha = online ? 0.85 : 0.7;
  context.strokeText(text, x, y);
  context.globalAlpha = 1;
  context.fillStyle = online ? MARKER_COLOR : OFFLINE_COLOR;
  context.fillText(text, x, y);
}
