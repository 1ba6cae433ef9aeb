// Every knob of the picture, as one plain object a settings panel can bind to, with the bounds of
// each numeric knob: the preset schema, the artist panel and the store all read them from here.
import type { KnobLimit } from './knobLimit';

export interface VisualSettings {
  /** How long a strike's circle lives, ms. */
  circleLifetimeMs: number;
  /**
   * Radius a full-velocity circle grows to on the world map, CSS px, on a stage whose shorter side is
   * REFERENCE_STAGE_PX (540): it scales with the stage, so a 1080p screen draws it twice as large.
   */
  circleMaxRadiusPx: number;
  /** Chime colors, cycled by chime index. */
  palette: string[];
  /** No growth, gentle fades. Starts from `prefers-reduced-motion`. */
  reducedMotion: boolean;
  /** Page color behind the map. */
  background: string;
  /** A circle's radius at the strike, as a share of the radius it grows to (0..1). */
  circleStartShare: number;
  /** Ease-out exponent of the growth: 1 grows steadily, higher bursts out fast and then settles. */
  circleGrowthEase: number;
  /** Opacity of a circle at the strike (it fades to 0 over its lifetime), 0..1. */
  circleOpacity: number;
  circleStyle: CircleStyle;
  /** Canvas composite operation circles are drawn with ('lighter' makes overlaps glow). */
  blendMode: BlendMode;
  markerStyle: MarkerStyle;
  projection: ProjectionName;
  landStyle: LandStyle;
  landColor: string;
  /** The kiosk's tour: the views it glides between and how long it stays on each (no stops: no tour). */
  tour: TourSettings;
}

/** world: the map; ensemble: every station's ring; busiest: the most active station close up. */
export const TOUR_STOPS = ['world', 'ensemble', 'busiest'] as const;
export type TourStop = (typeof TOUR_STOPS)[number];
export interface TourSettings {
  stops: TourStop[];
  dwellS: number;
}
/** Most stops a tour lists (a stop may repeat). */
export const MAX_TOUR_STOPS = 12;

export const CIRCLE_STYLES = ['stroke', 'fill', 'both'] as const;
export type CircleStyle = (typeof CIRCLE_STYLES)[number];
export const BLEND_MODES = ['source-over', 'lighter', 'screen', 'multiply', 'overlay', 'difference'] as const;
export type BlendMode = (typeof BLEND_MODES)[number];
/** ring: ring, chime dots and name; dots: chime dots and name; bare: chime dots only; hidden: nothing. */
export const MARKER_STYLES = ['ring', 'dots', 'bare', 'hidden'] as const;
export type MarkerStyle = (typeof MARKER_STYLES)[number];
export const PROJECTIONS = ['naturalEarth', 'equalEarth', 'equirectangular', 'mercator', 'orthographic'] as const;
export type ProjectionName = (typeof PROJECTIONS)[number];
export const LAND_STYLES = ['filled', 'outline', 'none'] as const;
export type LandStyle = (typeof LAND_STYLES)[number];

/** Bounds and panel step of each numeric picture knob (presets outside them are refused). */
export const VISUAL_LIMITS = {
  circleLifetimeMs: { min: 100, max: 10_000, step: 50 },
  circleMaxRadiusPx: { min: 2, max: 200, step: 1 },
  circleStartShare: { min: 0, max: 1, step: 0.01 },
  circleGrowthEase: { min: 0.5, max: 6, step: 0.1 },
  circleOpacity: { min: 0, max: 1, step: 0.01 },
  /** Seconds the kiosk's tour stays on each view. */
  tourDwellS: { min: 5, max: 3_600, step: 1, whole: true },
  /** How many colors a palette holds. */
  paletteColors: { min: 1, max: 16, step: 1, whole: true },
} as const satisfies Record<string, KnobLimit>;

/** A colorblind-friendly categorical palette (Okabe-Ito, plus two), bright on the dark map. */
export const DEFAULT_PALETTE = ['#e69f00', '#56b4e9', '#009e73', '#f0e442', '#0072b2', '#d55e00', '#cc79a7', '#f5f5f5'];

export const defaultVisualSettings: VisualSettings = {
  circleLifetimeMs: 2_000,
  circleMaxRadiusPx: 36,
  palette: DEFAULT_PALETTE,
  reducedMotion: false,
  background: '#0b1020',
  circleStartShare: 0.2,
  circleGrowthEase: 3,
  circleOpacity: 0.9,
  circleStyle: 'both',
  blendMode: 'source-over',
  markerStyle: 'ring',
  projection: 'naturalEarth',
  landStyle: 'filled',
  landColor: '#1e293b',
  tour: { stops: [], dwellS: 30 },
};

export function chimeColor(settings: VisualSettings, chime: number): string {
  return settings.palette[chime % settings.palette.length] ?? '#ffffff';
}
