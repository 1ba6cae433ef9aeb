// What marks the stations on the canvas, as plain functions of the layout: each station's ring (a
// faint disc close up) and chime dots under the circles, and the names over them, each with a dark
// halo, kept inside the stage. Names are placed and measured once per layout, so a frame allocates
// nothing for them.
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
  return { font, haloPx, placed };
}

/** The names, over the circles (drawn after them). */
export function drawLabels(context: CanvasRenderingContext2D, labels: StationLabels, visual: VisualSettings): void {
  if (visual.markerStyle === 'hidden' || visual.markerStyle === 'bare') return;
  context.font = labels.font;
  context.textBaseline = 'middle';
  context.textAlign = 'center';
  context.lineJoin = 'round';
  context.lineWidth = labels.haloPx;
  context.strokeStyle = visual.background;
  for (const { text, x, y, online } of labels.placed) {
    context.globalAlpha = online ? 0.85 : 0.7;
    context.strokeText(text, x, y);
    context.globalAlpha = 1;
    context.fillStyle = online ? MARKER_COLOR : OFFLINE_COLOR;
    context.fillText(text, x, y);
  }
}
