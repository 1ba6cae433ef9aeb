// Playing the chimes by hand: keys 1-9 and clicks on a chime strike it on this page only. The strike
// goes straight to the page's outputs (canvas, sound); nothing is ever sent to the relay, whose
// public side stays read-only.
import type { LiveStore } from '../store/liveStore';
import { layoutScene } from '../visual/layout';

/** Velocity of a hand-played strike (0..1). */
export const LOCAL_STRIKE_VELOCITY = 0.8;
/** A click this close to a chime (CSS px) strikes it. */
export const CHIME_HIT_RADIUS_PX = 14;

export interface ChimePoint {
  station: string;
  chime: number;
  x: number;
  y: number;
}

/** The chime nearest (x, y) within `radius`, or null. Pure. */
export function chimeNear(chimes: Iterable<ChimePoint>, x: number, y: number, radius = CHIME_HIT_RADIUS_PX): ChimePoint | null {
  let best: ChimePoint | null = null;
  let bestDistance = radius;
  for (const point of chimes) {
    const distance = Math.hypot(point.x - x, point.y - y);
    if (distance <= bestDistance) {
      best = point;
      bestDistance = distance;
    }
  }
  return best;
}

export interface LocalPlayDeps {
  store: LiveStore;
  /** Strikes a chime on this page now (LivePage.strikeHere). */
  play(station: string, chime: number, v: number): void;
  /** Called for every local strike (the monitor counts them). */
  onStrike?: (station: string, chime: number) => void;
}

export class LocalPlayer {
  /** The station keys play: the one in view, else the last one clicked, else the first. */
  private lastStation: string | null = null;

  constructor(private readonly deps: LocalPlayDeps) {
    window.addEventListener('keydown', this.onKey);
    document.addEventListener('pointerdown', this.onPointer);
  }

  strike(station: string, chime: number): void {
    this.deps.play(station, chime, LOCAL_STRIKE_VELOCITY);
    this.deps.onStrike?.(station, chime);
  }

  keyStation(): string | null {
    const { focusStation, stations } = this.deps.store.getState();
    return focusStation ?? this.lastStation ?? stations[0]?.id ?? null;
  }

  dispose(): void {
    window.removeEventListener('keydown', this.onKey);
    document.removeEventListener('pointerdown', this.onPointer);
  }

  private readonly onKey = (event: KeyboardEvent): void => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.repeat) return;
    const target = event.target as HTMLElement | null;
    if (target?.closest('input, select, textarea, [contenteditable]')) return; // typing in the panel
    if (!/^[1-9]$/.test(event.key)) return;
    const station = this.keyStation();
    const chime = Number(event.key) - 1;
    const placed = this.deps.store.getState().stations.find((s) => s.id === station);
    if (station && placed && chime < placed.chimes) this.strike(station, chime);
  };

  private readonly onPointer = (event: PointerEvent): void => {
    const canvas = event.target;
    if (!(canvas instanceof HTMLCanvasElement) || canvas.dataset.testid !== 'map') return;
    const rect = canvas.getBoundingClientRect();
    const { stations, focusStation, visual, view } = this.deps.store.getState();
    const layout = layoutScene(stations, Math.max(1, Math.round(rect.width)), Math.max(1, Math.round(rect.height)), focusStation, visual.projection, view);
    const points: ChimePoint[] = [];
    for (const placement of layout.stations.values()) {
      placement.chimes.forEach((p, chime) => points.push({ station: placement.station.id, chime, x: p.x, y: p.y }));
    }
    const hit = chimeNear(points, event.clientX - rect.left, event.clientY - rect.top);
    if (!hit) return;
    this.lastStation = hit.station;
    this.strike(hit.station, hit.chime);
  };
}
