// The canvas: one requestAnimationFrame loop, outside React, draws the map and station markers
// (cached per layout), strike circles, and station names (on top, pre-drawn per layout) from the
// store and the circle pool.
// HiDPI-sharp, resize-aware, crossfades between views, silent while the tab is hidden (and shows
// only the present when it returns).
import { geoGraticule10, geoPath } from 'd3';
import type { StrikeOutput } from '../rhythm/strikeRouter';
import type { LiveStore } from '../store/liveStore';
import { CirclePool, MAX_CIRCLES } from './circlePool';
import { RingSprites } from './ringSprites';
import { layoutScene, type SceneLayout } from './layout';
import type { VisualSettings } from '../store/visualSettings';
import type { TouchSettings } from '../store/touchSettings';
import { drawLabelSprites, drawStationMarks, placeLabels, releaseLabelSprites, renderLabelSprites, type LabelSprite } from './stationMarks';
import { loadLand, type Land } from './worldMap';

/** Circle alpha is quantised to this many levels so a frame is a few dozen paths, not one per circle. */
const ALPHA_LEVELS = 8;
const NO_BUCKET = 0xffff;
/**
 * Below this alpha a circle cannot move any 8-bit channel by one step, so it is not blitted (it is
 * still alive and counted). With the default opacity that is the last eighth of a circle's life,
 * when it is also at its largest: about a sixth of the raster work, for no visible change.
 */
const INVISIBLE_ALPHA = 1 / 255;
/**
 * A circle due at most this long after a frame is drawn in that frame. What a frame draws reaches
 * the screen about one frame interval (~16.7 ms) later, so a strike due within that interval is
 * shown closest to its time by this frame, not the next. Order and the spacing the jitter buffer
 * set are kept at frame resolution, and a strike held a few ms for its spacing is not pushed a
 * whole frame later.
 */
export const DRAW_EARLY_MS = 16;
/** Settings the cached background (map, rings, chime dots) and the names' halos are drawn with. */
const BACKGROUND_SETTINGS = ['background', 'landStyle', 'landColor', 'markerStyle', 'palette'] as const;
/** A change of view (world, close-up, ensemble) fades the old picture out over this long: never a blank frame. */
export const VIEW_CROSSFADE_MS = 700;

export interface SceneRendererOptions {
  /** A circle's first frame: ms since its strike arrived, how many frames began in between (1 = the next frame), and whether it is a visitor's touch. */
  onCircleDrawn?: (latencyMs: number, frames: number, touch: boolean) => void;
  /** Each frame: its rAF time and how long drawing it took (ms), for benchmarks. */
  onFrame?: (frameTime: number, drawMs: number) => void;
  /** Each new layout (size, stations, view): where the stations are, for what sits over the canvas. */
  onLayout?: (layout: SceneLayout) => void;
}

export class SceneRenderer implements StrikeOutput {
  private readonly pool = new CirclePool();
  private readonly sprites = new RingSprites();
  /** Visitors' touches: the same circles with the artist's touch mark, so nobody takes them for weather. */
  private readonly touchSprites = new RingSprites();
  /** Frames begun so far, and the count when each circle's strike arrived (for the latency in frames). */
  private frameCount = 0;
  private readonly arrivedFrame = new Uint32Array(MAX_CIRCLES);
  private readonly context: CanvasRenderingContext2D;
  private readonly background = document.createElement('canvas');
  /** The last picture of the previous view, fading out, and when it started to. */
  private readonly fading = document.createElement('canvas');
  private fadeStart = -Infinity;
  /** Station names drawn where the current layout puts them (null: to be drawn on the next frame). */
  private labels: LabelSprite[] | null = null;
  private layout: SceneLayout;
  private land: Land | null = null;
  private frame = 0;
  private pixelRatio = 1;
  private readonly resizeObserver: ResizeObserver;
  private readonly unsubscribe: () => void;
  private readonly circleBucket = new Uint16Array(MAX_CIRCLES);
  private readonly sorted = new Uint32Array(MAX_CIRCLES);
  /** Buckets: (wind or touch) x color x alpha level. */
  private readonly bucketStart = new Uint32Array(2 * 256 * ALPHA_LEVELS + 1);
  private readonly bucketFill = new Uint32Array(2 * 256 * ALPHA_LEVELS);

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly store: LiveStore,
    private readonly stats: { circlesDrawn: number; circlesActive?: number; circlesMerged?: number; touchCirclesDrawn?: number },
    private readonly options: SceneRendererOptions = {},
  ) {
    this.context = canvas.getContext('2d', { alpha: false })!;
    this.layout = this.layoutOf(1, 1);
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(canvas);
    this.watchPixelRatio();
    this.unsubscribe = store.subscribe((state, previous) => {
      const [v, was] = [state.visual, previous.visual];
      // Circles sit where their chime was: a new projection would leave them stranded.
      if (v.projection !== was.projection) this.pool.clear();
      if (state.stations !== previous.stations || state.focusStation !== previous.focusStation || state.view !== previous.view || v.projection !== was.projection) this.relayout();
      else if (BACKGROUND_SETTINGS.some((key) => v[key] !== was[key])) {
        this.drawBackground();
        this.forgetLabels();
      }
    });
    document.addEventListener('visibilitychange', this.onVisibility);
    loadLand()
      .then((land) => {
        this.land = land;
        this.drawBackground();
      })
      .catch(() => undefined); // the map is decoration: stations still show without the land
    this.resize();
    this.onVisibility();
  }

  strike(station: string, chime: number, v: number, at: number, arrivedAt: number, touch = false): void {
    if (document.hidden) return;
    const placement = this.layout.stations.get(station);
    const point = placement?.chimes[chime];
    if (!point) return;
    const { visual, touch: touchLook } = this.store.getState();
    const radius = visual.circleMaxRadiusPx * this.layout.circleScale * (0.35 + 0.65 * v) * (touch ? touchLook.sizeScale : 1);
    if (touch) {
      // A touch never merges with the wind's circle of its chime: each is seen for what it is.
      this.pool.spawn(point.x, point.y, radius, chime & 255, at, arrivedAt, true);
      this.arrivedFrame[(this.pool.head - 1) % MAX_CIRCLES] = this.frameCount;
      return;
    }
    if (this.pool.spawnOrMerge(point, point.x, point.y, radius, chime & 255, at, arrivedAt)) this.stats.circlesMerged = (this.stats.circlesMerged ?? 0) + 1;
    else this.arrivedFrame[(this.pool.head - 1) % MAX_CIRCLES] = this.frameCount;
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.resizeObserver.disconnect();
    this.pixelRatioQuery?.removeEventListener('change', this.onPixelRatioChange);
    this.unsubscribe();
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.forgetLabels();
  }

  private forgetLabels(): void {
    if (this.labels) releaseLabelSprites(this.labels);
    this.labels = null;
  }

  /** A window dragged to a screen of another density changes devicePixelRatio without resizing. */
  private pixelRatioQuery: MediaQueryList | null = null;
  private readonly onPixelRatioChange = (): void => {
    this.pixelRatioQuery?.removeEventListener('change', this.onPixelRatioChange);
    this.resize();
    this.watchPixelRatio();
  };

  private watchPixelRatio(): void {
    this.pixelRatioQuery = window.matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`);
    this.pixelRatioQuery.addEventListener('change', this.onPixelRatioChange);
  }

  private readonly onVisibility = (): void => {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    // Whatever was spawned before hiding is history now: show the present only.
    this.pool.clear();
    if (!document.hidden) this.frame = requestAnimationFrame(this.draw);
  };

  private resize(): void {
    const rect = this.canvas.getBoundingClientRect();
    const width = Math.max(1, Math.round(rect.width));
    const height = Math.max(1, Math.round(rect.height));
    this.pixelRatio = Math.min(3, window.devicePixelRatio || 1);
    this.canvas.width = Math.round(width * this.pixelRatio);
    this.canvas.height = Math.round(height * this.pixelRatio);
    this.background.width = this.canvas.width;
    this.background.height = this.canvas.height;
    this.fadeStart = -Infinity;
    this.layout = this.layoutOf(width, height);
    this.forgetLabels();
    this.pool.clear();
    this.drawBackground();
    this.options.onLayout?.(this.layout);
  }

  private layoutOf(width: number, height: number): SceneLayout {
    const { stations, focusStation, visual, view } = this.store.getState();
    return layoutScene(stations, width, height, focusStation, visual.projection, view);
  }

  private relayout(): void {
    const { width, height } = this.layout;
    const before = this.layout;
    this.layout = this.layoutOf(width, height);
    this.forgetLabels();
    if (sceneOf(before) !== sceneOf(this.layout)) {
      // Another view: the circles' places are gone; the old picture fades out over the new one.
      this.pool.clear();
      this.holdForCrossfade();
    } else if (before.stations.size !== this.layout.stations.size) this.pool.clear();
    this.drawBackground();
    this.options.onLayout?.(this.layout);
  }

  private holdForCrossfade(): void {
    if (this.canvas.width <= 1 || this.store.getState().visual.reducedMotion) return;
    this.fading.width = this.canvas.width;
    this.fading.height = this.canvas.height;
    this.fading.getContext('2d')!.drawImage(this.canvas, 0, 0);
    this.fadeStart = performance.now();
  }

  private drawBackground(): void {
    const context = this.background.getContext('2d')!;
    const { width, height, projection } = this.layout;
    context.setTransform(this.pixelRatio, 0, 0, this.pixelRatio, 0, 0);
    const { background, landStyle, landColor } = this.store.getState().visual;
    context.fillStyle = background;
    context.fillRect(0, 0, width, height);
    if (projection) {
      const path = geoPath(projection, context);
      context.beginPath();
      path({ type: 'Sphere' });
      context.fillStyle = '#0f172a';
      context.fill();
      context.beginPath();
      path(geoGraticule10());
      context.strokeStyle = 'rgba(148,163,184,0.08)';
      context.lineWidth = 0.5;
      context.stroke();
      if (this.land && landStyle !== 'none') {
        context.beginPath();
        path(this.land);
        if (landStyle === 'filled') {
          context.fillStyle = landColor;
          context.fill();
          context.strokeStyle = 'rgba(148,163,184,0.25)';
        } else {
          context.strokeStyle = landColor;
          context.lineWidth = 1;
        }
        context.stroke();
      }
    }
    // Under the circles and still between frames: part of the background.
    drawStationMarks(context, this.layout, this.store.getState().visual);
  }

  private readonly draw = (frameTime: number): void => {
    this.frame = requestAnimationFrame(this.draw);
    this.frameCount++;
    const now = performance.now();
    const context = this.context;
    const { visual, touch } = this.store.getState();
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.drawImage(this.background, 0, 0);
    this.drawCircles(context, now, visual, touch);
    drawLabelSprites(context, (this.labels ??= renderLabelSprites(context, placeLabels(context, this.layout), visual, this.pixelRatio)));
    const fade = 1 - (now - this.fadeStart) / VIEW_CROSSFADE_MS;
    if (fade > 0) {
      context.globalAlpha = fade * fade;
      context.drawImage(this.fading, 0, 0);
      context.globalAlpha = 1;
    }
    this.options.onFrame?.(frameTime, performance.now() - now);
  };

  private drawCircles(context: CanvasRenderingContext2D, now: number, visual: VisualSettings, touch: TouchSettings): void {
    const { circleLifetimeMs: lifetimeMs, reducedMotion, palette, circleStartShare: start, circleGrowthEase: ease, circleOpacity: opacity, circleStyle } = visual;
    const pool = this.pool;
    let active = 0;
    pool.expire(now, lifetimeMs);
    const colors = Math.min(256, palette.length);
    const buckets = 2 * colors * ALPHA_LEVELS;
    const bucketStart = this.bucketStart;
    bucketStart.fill(0, 0, buckets + 1);
    // Pass 1: which (color, alpha level) bucket each visible circle is in; count per bucket.
    for (let n = pool.tail; n < pool.head; n++) {
      const i = n % MAX_CIRCLES;
      const age = now - pool.startAt[i]!;
      if (age < -DRAW_EARLY_MS || age >= lifetimeMs) {
        this.circleBucket[i] = NO_BUCKET;
        continue;
      }
      const level = Math.min(ALPHA_LEVELS - 1, Math.floor((1 - age / lifetimeMs) * ALPHA_LEVELS));
      const bucket = (pool.touch[i]! * colors + (pool.color[i]! % colors)) * ALPHA_LEVELS + level;
      this.circleBucket[i] = bucket;
      bucketStart[bucket + 1]!++;
      active++;
    }
    this.stats.circlesActive = active;
    for (let b = 0; b < buckets; b++) bucketStart[b + 1]! += bucketStart[b]!;
    // Pass 2: counting sort of the visible circles by bucket.
    const fill = this.bucketFill;
    fill.set(bucketStart.subarray(0, buckets));
    for (let n = pool.tail; n < pool.head; n++) {
      const i = n % MAX_CIRCLES;
      const bucket = this.circleBucket[i]!;
      if (bucket !== NO_BUCKET) this.sorted[fill[bucket]!++] = i;
    }
    const sorted = this.sorted;
    this.sprites.configure(palette, circleStyle, this.pixelRatio);
    this.touchSprites.configure(palette, circleStyle, this.pixelRatio, touch);
    // Pass 3: one alpha per bucket, one sprite blit per circle (in device pixels: see RingSprites.draw;
    // the frame's context has no transform).
    context.globalCompositeOperation = visual.blendMode;
    for (let b = 0; b < buckets; b++) {
      const from = bucketStart[b]!;
      const to = bucketStart[b + 1]!;
      if (from === to) continue;
      const level = b % ALPHA_LEVELS;
      const fade = (level + 0.5) / ALPHA_LEVELS;
      const alpha = reducedMotion ? fade * opacity * 0.55 : fade * fade * opacity;
      const visible = alpha >= INVISIBLE_ALPHA;
      context.globalAlpha = alpha;
      const kindColor = Math.floor(b / ALPHA_LEVELS);
      const isTouch = kindColor >= colors;
      const sprites = isTouch ? this.touchSprites : this.sprites;
      const colorIndex = kindColor % colors;
      for (let k = from; k < to; k++) {
        const i = sorted[k]!;
        const progress = Math.min(1, Math.max(0, now - pool.startAt[i]!) / lifetimeMs);
        const r = reducedMotion ? pool.radius[i]! * 0.6 : pool.radius[i]! * (start + (1 - start) * (1 - (1 - progress) ** ease));
        if (visible) sprites.draw(context, colorIndex, pool.x[i]!, pool.y[i]!, r);
        if (!pool.drawn[i]) {
          pool.drawn[i] = 1;
          this.stats.circlesDrawn++;
          if (isTouch) this.stats.touchCirclesDrawn = (this.stats.touchCirclesDrawn ?? 0) + 1;
          this.options.onCircleDrawn?.(now - pool.arrivedAt[i]!, this.frameCount - this.arrivedFrame[i]!, isTouch);
        }
      }
    }
    context.globalAlpha = 1;
    context.globalCompositeOperation = 'source-over';
  }
}

/** Which view a layout shows (a change of it is crossfaded). */
function sceneOf(layout: SceneLayout): string {
  return layout.mode === 'station' ? `station:${[...layout.stations.keys()][0]}` : layout.mode;
}
