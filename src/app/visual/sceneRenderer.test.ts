// The scene renderer against a recording fake of the canvas: what a viewer would see of a strike
// (a circle at its chime, in its chime's colour, growing and fading, gone after its lifetime), with
// and without reduced motion. The DOM edges the renderer touches (document, the frame loop, resize
// and pixel-ratio observers) are small fakes; the land outline never loads (the map is decoration).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Station } from '../../protocol';
import { createLiveStore } from '../store/liveStore';
import type { VisualSettings } from '../store/visualSettings';
import { layoutScene } from './layout';
import { SceneRenderer, VIEW_CROSSFADE_MS } from './sceneRenderer';

vi.mock('./worldMap', () => ({ loadLand: () => new Promise(() => undefined) }));

type Call = { name: string; args: unknown[]; alpha: number; fill: string; stroke: string };

/** Records the CanvasRenderingContext2D calls the renderer makes, with the drawing state at each. */
class RecordingContext {
  calls: Call[] = [];
  fillStyle = '#000000';
  strokeStyle = '#000000';
  globalAlpha = 1;
  globalCompositeOperation = 'source-over';
  lineWidth = 1;
  font = '';
  textAlign = 'left';
  textBaseline = 'alphabetic';
  private record(name: string, args: unknown[]): void {
    this.calls.push({ name, args, alpha: this.globalAlpha, fill: this.fillStyle, stroke: this.strokeStyle });
  }
  setTransform(...args: number[]) { this.record('setTransform', args); }
  scale(...args: number[]) { this.record('scale', args); }
  drawImage(...args: unknown[]) { this.record('drawImage', args); }
  fillRect(...args: number[]) { this.record('fillRect', args); }
  beginPath() { this.record('beginPath', []); }
  moveTo(...args: number[]) { this.record('moveTo', args); }
  lineTo(...args: number[]) { this.record('lineTo', args); }
  closePath() { this.record('closePath', []); }
  arc(...args: number[]) { this.record('arc', args); }
  fill() { this.record('fill', []); }
  stroke() { this.record('stroke', []); }
  setLineDash(...args: unknown[]) { this.record('setLineDash', args); }
  fillText(...args: unknown[]) { this.record('fillText', args); }
  strokeText(...args: unknown[]) { this.record('strokeText', args); }
  lineJoin = 'miter';
  measureText(text: string) { return { width: text.length * 6 }; }
}

class FakeCanvas {
  width = 0;
  height = 0;
  readonly dataset: Record<string, string> = {};
  readonly context = new RecordingContext();
  constructor(private readonly cssWidth = 0, private readonly cssHeight = 0) {}
  getContext() { return this.context; }
  getBoundingClientRect() { return { width: this.cssWidth, height: this.cssHeight, left: 0, top: 0 }; }
}

/** A circle as the viewer sees it: one sprite blit, read back as the disc the sprite holds. */
interface SeenCircle { x: number; y: number; left: number; top: number; radius: number; color: string; alpha: number }

function circlesOf(calls: Call[]): SeenCircle[] {
  return calls.flatMap((call) => {
    const [image, x, y, w] = call.args as [unknown, number, number, number];
    if (call.name !== 'drawImage' || !(image instanceof FakeCanvas)) return [];
    const disc = image.context.calls.find((c) => c.name === 'arc');
    // Not the cached background (map, rings and chime dots: the whole canvas), not a name.
    if (!disc || image.width >= WIDTH) return [];
    return [{ x: x + w / 2, y: y + w / 2, left: x, top: y, radius: disc.args[2] as number, color: disc.fill, alpha: call.alpha }];
  });
}

const WIDTH = 400;
const HEIGHT = 300;
const station: Station = { id: 'a', name: 'Alpha', lat: 10, lon: 20, chimes: 3, online: true, lastSeen: null };

let clock = 1_000;
let frame: ((time: number) => void) | null = null;
let hidden = false;
let renderer: SceneRenderer | null = null;
let canvasCalls: () => Call[] = () => [];

beforeEach(() => {
  clock = 1_000;
  hidden = false;
  vi.spyOn(performance, 'now').mockImplementation(() => clock);
  vi.stubGlobal('document', {
    createElement: () => new FakeCanvas(),
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    get hidden() {
      return hidden;
    },
  });
  vi.stubGlobal('window', { devicePixelRatio: 1, matchMedia: () => ({ addEventListener: () => undefined, removeEventListener: () => undefined }) });
  vi.stubGlobal('ResizeObserver', class { observe() {} disconnect() {} });
  vi.stubGlobal('requestAnimationFrame', (callback: (time: number) => void) => ((frame = callback), 1));
  vi.stubGlobal('cancelAnimationFrame', () => (frame = null));
});

afterEach(() => {
  renderer?.dispose();
  renderer = null;
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

function openScene(visual: Partial<VisualSettings> = {}) {
  const store = createLiveStore({ focusStation: 'a' });
  store.getState().streamStarted({ stations: [station], viewers: 1 });
  store.getState().setVisual({
    palette: ['#ff0000', '#00ff00', '#0000ff'],
    circleStyle: 'fill',
    circleLifetimeMs: 1_000,
    circleMaxRadiusPx: 20,
    circleStartShare: 0.2,
    circleGrowthEase: 1,
    circleOpacity: 1,
    markerStyle: 'hidden',
    ...visual,
  });
  const canvas = new FakeCanvas(WIDTH, HEIGHT);
  canvasCalls = () => canvas.context.calls;
  const stats = { circlesDrawn: 0, circlesActive: 0, touchCirclesDrawn: 0 };
  renderer = new SceneRenderer(canvas as unknown as HTMLCanvasElement, store, stats);
  const layout = layoutScene([station], WIDTH, HEIGHT, 'a', store.getState().visual.projection);
  /** Draws one frame at `time` (performance.now ms) and returns the circles it shows. */
  const drawAt = (time: number): SeenCircle[] => {
    clock = time;
    canvas.context.calls = [];
    frame?.(time);
    return circlesOf(canvas.context.calls);
  };
  return { store, stats, layout, drawAt, canvas };
}

describe('the scene renderer', () => {
  it("shows a strike as a circle at its chime, in the chime's colour, growing and fading, gone after its lifetime", () => {
    const { layout, stats, drawAt } = openScene();
    const chime = layout.stations.get('a')!.chimes[1]!;
    const fullRadius = 20 * layout.circleScale; // velocity 1
    renderer!.strike('a', 1, 1, 1_000, 1_000);

    const [first, ...others] = drawAt(1_000);
    expect(others).toEqual([]);
    // On its chime, to the device pixel it snaps to (whole pixels keep the blit a plain copy).
    expect(Math.abs(first!.x - chime.x)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(first!.y - chime.y)).toBeLessThanOrEqual(0.5);
    expect(Number.isInteger(first!.left) && Number.isInteger(first!.top)).toBe(true);
    expect(first!.color).toBe('#00ff00');
    expect(first!.radius / fullRadius).toBeCloseTo(0.2, 1); // starts at its start share
    expect(first!.alpha).toBeGreaterThan(0.8);

    const [middle] = drawAt(1_500);
    expect(middle!.radius).toBeGreaterThan(first!.radius * 2);
    expect(middle!.alpha).toBeLessThan(first!.alpha / 2);
    const [late] = drawAt(1_870);
    expect(late!.radius / fullRadius).toBeGreaterThan(0.85);
    expect(late!.alpha).toBeLessThan(0.05);
    // Its last moments are too faint to change a pixel: still alive, no longer blitted.
    expect(drawAt(1_950)).toEqual([]);
    expect(stats.circlesActive).toBe(1);

    expect(drawAt(2_000)).toEqual([]);
    expect(stats).toMatchObject({ circlesDrawn: 1, circlesActive: 0 });
  });

  it('a softer strike makes a smaller circle; a strike due later waits for its time', () => {
    const { layout, drawAt } = openScene({ circleStartShare: 1 });
    renderer!.strike('a', 0, 0, 1_000, 1_000);
    renderer!.strike('a', 2, 1, 1_100, 1_000);
    const [soft] = drawAt(1_000);
    expect(soft!.color).toBe('#ff0000');
    expect(soft!.radius / (20 * layout.circleScale)).toBeCloseTo(0.35, 1);
    expect(drawAt(1_050)).toHaveLength(1);
    expect(drawAt(1_100).map((c) => c.color)).toEqual(['#ff0000', '#0000ff']);
  });

  it('with reduced motion a circle does not grow and fades gently', () => {
    const { layout, drawAt } = openScene({ reducedMotion: true });
    renderer!.strike('a', 1, 1, 1_000, 1_000);
    const seen = [1_000, 1_500, 1_950].map((t) => drawAt(t)[0]!);
    const still = 0.6 * 20 * layout.circleScale;
    for (const circle of seen) expect(circle.radius / still).toBeCloseTo(1, 1);
    // Softer than full motion from the start, and a linear fade: half its opacity left at mid-life.
    expect(seen[0]!.alpha).toBeLessThan(0.6);
    expect(seen[1]!.alpha / seen[0]!.alpha).toBeGreaterThan(0.4);
    expect(seen[2]!.alpha).toBeGreaterThan(0);
    expect(drawAt(2_000)).toEqual([]);
  });

  it("draws the station's name over its circles, with a halo, from a bitmap made once per layout", () => {
    const { layout, drawAt } = openScene({ markerStyle: 'ring' });
    renderer!.strike('a', 1, 1, 1_000, 1_000);
    drawAt(1_000);
    expect(drawAt(1_100)).toHaveLength(1);
    const calls = canvasCalls();
    const blits = calls.filter((c) => c.name === 'drawImage').map((c) => ({ image: c.args[0] as FakeCanvas, left: c.args[1] as number, top: c.args[2] as number }));
    const name = blits.at(-1)!; // last: over the circle
    const drawn = name.image.context.calls;
    const halo = drawn.findIndex((c) => c.name === 'strokeText' && c.args[0] === 'Alpha');
    const text = drawn.findIndex((c) => c.name === 'fillText' && c.args[0] === 'Alpha');
    expect(halo).toBeGreaterThanOrEqual(0);
    expect(text).toBeGreaterThan(halo);
    // The bitmap holds the name where the layout puts it: drawn at the label's place, shifted by
    // exactly where the bitmap is blitted, so it lands on the same pixels as text drawn in the frame.
    const [, x, y] = drawn[text]!.args as [string, number, number];
    const placed = layout.stations.get('a')!.label;
    expect([x, y]).toEqual([placed.x, placed.y]);
    const shift = drawn.find((c) => c.name === 'setTransform')!.args;
    expect(shift).toEqual([1, 0, 0, 1, -name.left, -name.top]);
    // A frame strokes no text and draws no path of its own: names and marks are cached.
    expect(calls.filter((c) => ['strokeText', 'fillText', 'arc'].includes(c.name))).toEqual([]);
  });

  it("rings and chime dots are part of the cached background, redrawn when the artist changes them", () => {
    const { store, drawAt } = openScene({ markerStyle: 'ring' });
    const backgroundOf = () => canvasCalls().find((c) => c.name === 'drawImage' && (c.args[0] as FakeCanvas).width >= WIDTH)!.args[0] as FakeCanvas;
    drawAt(1_000);
    const dots = () => backgroundOf().context.calls.filter((c) => c.name === 'arc').length;
    expect(dots()).toBe(1 + 3); // the station's ring and its three chime dots
    const before = backgroundOf().context.calls.length;
    drawAt(1_100);
    expect(backgroundOf().context.calls.length).toBe(before); // not redrawn per frame
    store.getState().setVisual({ markerStyle: 'dots' });
    drawAt(1_200);
    const calls = backgroundOf().context.calls;
    expect(calls.slice(before).filter((c) => c.name === 'arc')).toHaveLength(3); // dots, no ring now
  });

  it('a change of view fades the old picture out over the new one, then stops', () => {
    const { store, drawAt } = openScene();
    drawAt(1_000);
    store.getState().setFocusStation(null); // close-up -> world
    drawAt(1_000 + VIEW_CROSSFADE_MS / 2);
    const fadeOf = () => canvasCalls().filter((c) => c.name === 'drawImage' && c.alpha < 1 && c.alpha > 0 && (c.args[0] as FakeCanvas).context.calls.length > 0 && !(c.args[0] as FakeCanvas).context.calls.some((d) => d.name === 'arc'));
    expect(fadeOf()).toHaveLength(1);
    drawAt(1_000 + VIEW_CROSSFADE_MS + 1);
    expect(fadeOf()).toHaveLength(0);
  });

  it('a strike for an unknown chime, or while the tab is hidden, draws nothing', () => {
    const { drawAt } = openScene();
    renderer!.strike('nowhere', 0, 1, 1_000, 1_000);
    renderer!.strike('a', 9, 1, 1_000, 1_000);
    hidden = true;
    renderer!.strike('a', 0, 1, 1_000, 1_000);
    expect(drawAt(1_000)).toEqual([]);
  });

  it("a visitor's touch is one blit like a strike, with the artist's touch mark and size, never merged into the wind's circle", () => {
    const { store, stats, drawAt, canvas } = openScene({ circleStartShare: 1 });
    store.getState().setTouch({ style: 'double', color: '#abcdef', sizeScale: 2 });
    renderer!.strike('a', 1, 1, 1_000, 1_000);
    renderer!.strike('a', 1, 1, 1_010, 1_010, true);
    const seen = drawAt(1_010);
    expect(seen).toHaveLength(2); // the wind's and the touch's, one blit each, both in the chime's colour
    expect(seen.map((c) => c.color)).toEqual(['#00ff00', '#00ff00']);
    const [wind, touch] = seen as [SeenCircle, SeenCircle];
    expect(touch.radius / wind.radius).toBeCloseTo(2, 1);
    const sprites = canvas.context.calls.filter((c) => c.name === 'drawImage').map((c) => c.args[0] as FakeCanvas);
    const [windSprite, touchSprite] = sprites.slice(-2) as [FakeCanvas, FakeCanvas];
    expect(windSprite.context.calls.filter((c) => c.name === 'arc')).toHaveLength(1);
    expect(touchSprite.context.calls.filter((c) => c.name === 'arc')).toHaveLength(2); // the touch's second ring
    expect(touchSprite.context.calls.filter((c) => c.name === 'stroke').at(-1)!.stroke).toBe('#abcdef');
    expect(stats).toMatchObject({ circlesDrawn: 2, touchCirclesDrawn: 1 });
  });
});
