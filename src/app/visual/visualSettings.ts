// Every knob of the picture, as one plain object a settings panel can bind to.

export interface VisualSettings {
  /** How long a strike's circle lives, ms. */
  circleLifetimeMs: number;
  /** Radius a full-velocity circle grows to, CSS px (scaled down in map layout on small screens). */
  circleMaxRadiusPx: number;
  /** Chime colors, cycled by chime index. */
  palette: string[];
  /** No growth, gentle fades. Starts from `prefers-reduced-motion`. */
  reducedMotion: boolean;
}

/** A colorblind-friendly categorical palette (Okabe-Ito, plus two), bright on the dark map. */
export const DEFAULT_PALETTE = ['#e69f00', '#56b4e9', '#009e73', '#f0e442', '#0072b2', '#d55e00', '#cc79a7', '#f5f5f5'];

export const defaultVisualSettings: VisualSettings = {
  circleLifetimeMs: 2_000,
  circleMaxRadiusPx: 36,
  palette: DEFAULT_PALETTE,
  reducedMotion: false,
};

export function chimeColor(settings: VisualSettings, chime: number): string {
  return settings.palette[chime % settings.palette.length] ?? '#ffffff';
}
