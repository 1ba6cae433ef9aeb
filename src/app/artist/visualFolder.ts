// The picture knobs: palette per chime, background, circles (size, growth, life, opacity, style,
// blend), station markers, projection, land, the layout (world map, ensemble or one station close
// up) and the kiosk's tour.
import type { FolderApi } from '@tweakpane/core';
import { sliderRange as range } from '../store/knobLimit';
import type { LiveState, LiveStore } from '../store/liveStore';
import {
  BLEND_MODES,
  CIRCLE_STYLES,
  LAND_STYLES,
  MARKER_STYLES,
  PROJECTIONS,
  MAX_TOUR_STOPS,
  TOUR_STOPS,
  VISUAL_LIMITS,
  type TourStop,
  type VisualSettings,
} from '../store/visualSettings';
import type { PaneBinder } from './paneBinder';

/** The layout list's value for the ensemble (no station id can be this: ids are lowercase words). */
const ENSEMBLE = '*ensemble';
const listOf = (values: readonly string[]) => Object.fromEntries(values.map((v) => [v, v]));

export function addVisualFolder(pane: Pick<FolderApi, 'addFolder'>, store: LiveStore, binder: PaneBinder): () => void {
  const folder = pane.addFolder({ title: 'Visual' });
  const set = (patch: Partial<VisualSettings>) => store.getState().setVisual(patch);
  const bindVisual = <K extends keyof VisualSettings>(into: FolderApi, label: string, key: K, params = {}) =>
    binder.bind(into, label, (s) => s.visual[key], (value: VisualSettings[K]) => set({ [key]: value } as Partial<VisualSettings>), params);

  // Layout and palette depend on the stations and the palette length: rebuilt when those change.
  const layout = folder.addFolder({ title: 'Layout' });
  const palette = folder.addFolder({ title: 'Palette (per chime)' });
  let layoutApis: ReturnType<PaneBinder['bind']>[] = [];
  let paletteApis: ReturnType<PaneBinder['bind']>[] = [];
  const buildLayout = () => {
    layoutApis.forEach((api) => binder.unbind(api));
    const options: Record<string, string> = { 'world map': '', 'ensemble (all rings)': ENSEMBLE };
    for (const station of store.getState().stations) options[`${station.name} close up`] = station.id;
    const read = (s: LiveState) => s.focusStation ?? (s.view === 'ensemble' ? ENSEMBLE : '');
    const write = (id: string) => (id === ENSEMBLE ? store.getState().setView('ensemble') : id ? store.getState().setFocusStation(id) : store.getState().setView('world'));
    layoutApis = [binder.bind(layout, 'layout', read, write, { options })];
  };
  const buildPalette = () => {
    paletteApis.forEach((api) => binder.unbind(api));
    paletteApis = store.getState().visual.palette.map((_, i) =>
      binder.bind(
        palette,
        `chime ${i + 1}`,
        (s) => s.visual.palette[i] ?? '#ffffff',
        (color: string) => {
          const next = [...store.getState().visual.palette];
          next[i] = color;
          set({ palette: next });
        },
        { view: 'color' },
      ),
    );
  };
  buildLayout();
  buildPalette();
  palette.addButton({ title: '+ color' }).on('click', () => {
    const { palette: colors } = store.getState().visual;
    if (colors.length < VISUAL_LIMITS.paletteColors.max) set({ palette: [...colors, colors[colors.length % colors.length] ?? '#ffffff'] });
  });
  palette.addButton({ title: '- color' }).on('click', () => {
    const { palette: colors } = store.getState().visual;
    if (colors.length > VISUAL_LIMITS.paletteColors.min) set({ palette: colors.slice(0, -1) });
  });

  bindVisual(folder, 'background', 'background', { view: 'color' });
  const circles = folder.addFolder({ title: 'Circles' });
  bindVisual(circles, 'start size', 'circleStartShare', range(VISUAL_LIMITS.circleStartShare));
  bindVisual(circles, 'grows to (px)', 'circleMaxRadiusPx', range(VISUAL_LIMITS.circleMaxRadiusPx));
  bindVisual(circles, 'growth ease', 'circleGrowthEase', range(VISUAL_LIMITS.circleGrowthEase));
  bindVisual(circles, 'lifetime (ms)', 'circleLifetimeMs', range(VISUAL_LIMITS.circleLifetimeMs));
  bindVisual(circles, 'opacity', 'circleOpacity', range(VISUAL_LIMITS.circleOpacity));
  bindVisual(circles, 'style', 'circleStyle', { options: listOf(CIRCLE_STYLES) });
  bindVisual(circles, 'blend', 'blendMode', { options: listOf(BLEND_MODES) });
  const map = folder.addFolder({ title: 'Map' });
  bindVisual(map, 'stations', 'markerStyle', { options: listOf(MARKER_STYLES) });
  bindVisual(map, 'projection', 'projection', { options: listOf(PROJECTIONS) });
  bindVisual(map, 'land', 'landStyle', { options: listOf(LAND_STYLES) });
  bindVisual(map, 'land color', 'landColor', { view: 'color' });
  // The kiosk's tour (`?kiosk`): the views it glides between, e.g. "world, ensemble, busiest"; empty: none.
  const tour = folder.addFolder({ title: 'Kiosk tour' });
  binder.bind(
    tour,
    'stops',
    (s) => s.visual.tour.stops.join(', '),
    (text: string) => {
      const stops = text.split(/[\s,]+/).flatMap((word) => TOUR_STOPS.filter((stop): stop is TourStop => stop === word)).slice(0, MAX_TOUR_STOPS);
      set({ tour: { ...store.getState().visual.tour, stops } });
    },
  );
  binder.bind(tour, 'seconds each', (s) => s.visual.tour.dwellS, (dwellS: number) => set({ tour: { ...store.getState().visual.tour, dwellS } }), range(VISUAL_LIMITS.tourDwellS));

  return store.subscribe((state, previous) => {
    if (state.stations !== previous.stations) buildLayout();
    if (state.visual.palette.length !== previous.visual.palette.length) buildPalette();
  });
}
