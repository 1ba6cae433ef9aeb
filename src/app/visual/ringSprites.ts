// Pre-rendered circle sprites: a strike circle is one drawImage of a cached bitmap instead of an
// anti-aliased arc. Software rasterizers (most phones' canvas fallbacks, headless Chromium) spend
// ~20 µs per arc, which at 1000 strikes/s (2000 live circles) is the whole frame budget; a blit is
// several times cheaper. Radii are quantised (1 px steps up to 16 px, then 4% steps).
import type { CircleStyle } from '../store/visualSettings';

const RING_WIDTH_PX = 1.5;
/** Share of the ring's opacity its disc is filled with in the 'both' style. */
const BOTH_FILL_SHARE = 0.3;
const FINE_STEPS_UP_TO_PX = 16;
const COARSE_STEP_RATIO = 1.04;
/** Sprites kept; past this the cache starts over (a palette being tuned live makes many). */
const MAX_SPRITES = 4096;

export class RingSprites {
  private readonly sprites = new Map<number, HTMLCanvasElement>();
  private key = '';

  /** Forget every sprite when what they look like changes. */
  configure(palette: readonly string[], style: CircleStyle, pixelRatio: number): void {
    const key = `${palette.join()}|${style}|${pixelRatio}`;
    if (key === this.key) return;
    this.key = key;
    this.sprites.clear();
    this.palette = palette;
    this.style = style;
    this.pixelRatio = pixelRatio;
  }

  private palette: readonly string[] = [];
  private style: CircleStyle = 'stroke';
  private pixelRatio = 1;

  /** Draws circle `color` of radius `radius` (CSS px) centred at x, y with the context's alpha. */
  draw(context: CanvasRenderingContext2D, color: number, x: number, y: number, radius: number): void {
    const step = quantiseRadius(radius);
    const sprite = this.sprite(color, step);
    const half = sprite.width / this.pixelRatio / 2;
    context.drawImage(sprite, x - half, y - half, half * 2, half * 2);
  }

  private sprite(color: number, step: number): HTMLCanvasElement {
    const id = step * 256 + color;
    let sprite = this.sprites.get(id);
    if (sprite) return sprite;
    if (this.sprites.size >= MAX_SPRITES) this.sprites.clear();
    const radius = radiusOfStep(step);
    const ratio = this.pixelRatio;
    const size = Math.ceil((radius + RING_WIDTH_PX + 1) * 2 * ratio);
    sprite = document.createElement('canvas');
    sprite.width = size;
    sprite.height = size;
    const context = sprite.getContext('2d')!;
    context.scale(ratio, ratio);
    const centre = size / ratio / 2;
    const fill = this.palette[color % this.palette.length] ?? '#ffffff';
    context.fillStyle = fill;
    context.strokeStyle = fill;
    context.lineWidth = RING_WIDTH_PX;
    context.beginPath();
    context.arc(centre, centre, radius, 0, 2 * Math.PI);
    if (this.style === 'fill') context.fill();
    else context.stroke();
    if (this.style === 'both') {
      context.globalAlpha = BOTH_FILL_SHARE;
      context.fill();
    }
    this.sprites.set(id, sprite);
    return sprite;
  }
}

/** Integer step of a radius: 1 px steps up to 16 px, then 4% steps. */
export function quantiseRadius(radius: number): number {
  const r = Math.max(0.5, radius);
  if (r <= FINE_STEPS_UP_TO_PX) return Math.round(r * 2);
  return FINE_STEPS_UP_TO_PX * 2 + Math.round(Math.log(r / FINE_STEPS_UP_TO_PX) / Math.log(COARSE_STEP_RATIO));
}

export function radiusOfStep(step: number): number {
  if (step <= FINE_STEPS_UP_TO_PX * 2) return Math.max(0.5, step / 2);
  return FINE_STEPS_UP_TO_PX * COARSE_STEP_RATIO ** (step - FINE_STEPS_UP_TO_PX * 2);
}
