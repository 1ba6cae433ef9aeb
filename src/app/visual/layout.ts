// Where everything sits on screen, pure: the world map fitted to fill its stage (each station at its
// coordinates, its chimes in a small ring), one station close up (chimes in a ring like a real wind
// chime), or the ensemble (every station's ring side by side, filling the screen).
import { geoEqualEarth, geoEquirectangular, geoMercator, geoNaturalEarth1, geoOrthographic, geoPath, type GeoPermissibleObjects, type GeoProjection } from 'd3';
import type { Station } from '../../protocol';
import type { ProjectionName } from '../store/visualSettings';

export interface StationPlacement {
  station: Station;
  x: number;
  y: number;
  /** Radius of the ring the chimes sit on, CSS px. */
  ringRadius: number;
  chimes: { x: number; y: number }[];
  /** Centre of the station's name, CSS px (drawn on top of the circles, with a halo). */
  label: { x: number; y: number };
}

/** What the stage shows when no station is chosen: the world map, or every station's ring at once. */
export const SCENE_VIEWS = ['world', 'ensemble'] as const;
export type SceneView = (typeof SCENE_VIEWS)[number];

export interface SceneLayout {
  mode: 'map' | 'station' | 'ensemble';
  width: number;
  height: number;
  projection: GeoProjection | null;
  stations: Map<string, StationPlacement>;
  /** Multiplies circle sizes (circleMaxRadiusPx is the size on a REFERENCE_STAGE_PX stage). */
  circleScale: number;
  /** Station names' font size, CSS px: grows with the stage, so a gallery screen reads from afar. */
  labelPx: number;
}

/** circleMaxRadiusPx is a circle's size on a stage whose shorter side is this; it scales with the stage. */
export const REFERENCE_STAGE_PX = 540;
/** Station names are this share of the stage's shorter side (at least MIN_LABEL_PX). */
export const LABEL_SHARE = 0.022;
export const MIN_LABEL_PX = 12;
/** A close-up's chime ring, as a share of the stage's (or an ensemble cell's) shorter side. */
export const CLOSE_UP_RING_SHARE = 0.3;
/** The map is zoomed in until it fills the stage, but never so far that a station leaves this margin (share of the side). */
const STATION_MARGIN_SHARE = 0.05;

const PROJECTION_FACTORIES: Record<ProjectionName, () => GeoProjection> = {
  naturalEarth: geoNaturalEarth1,
  equalEarth: geoEqualEarth,
  equirectangular: geoEquirectangular,
  mercator: geoMercator,
  orthographic: geoOrthographic,
};
const SPHERE: GeoPermissibleObjects = { type: 'Sphere' };
/** Mercator's poles lie at infinity: it is fitted to the inhabited latitudes instead. */
const MERCATOR_EXTENT: GeoPermissibleObjects = { type: 'MultiPoint', coordinates: [[-179.9, -60], [179.9, 80]] };

export function layoutScene(
  stations: readonly Station[],
  width: number,
  height: number,
  focus: string | null,
  projectionName: ProjectionName = 'naturalEarth',
  view: SceneView = 'world',
): SceneLayout {
  const short = Math.min(width, height);
  const labelPx = Math.max(MIN_LABEL_PX, Math.round(short * LABEL_SHARE));
  const focused = focus ? stations.find((s) => s.id === focus) : undefined;
  const placements = new Map<string, StationPlacement>();
  if (focused) {
    const ringRadius = short * CLOSE_UP_RING_SHARE;
    placements.set(focused.id, place(focused, width / 2, height / 2, ringRadius, { x: width / 2, y: height / 2 }));
    return { mode: 'station', width, height, projection: null, stations: placements, circleScale: Math.max(1.5, ringRadius / 60), labelPx: Math.max(labelPx, 18) };
  }
  if (view === 'ensemble' && stations.length > 0) return layoutEnsemble(stations, width, height, labelPx);

  const ringRadius = Math.min(14, Math.max(5, short / 70));
  const projection = fitWorld(projectionName, stations, width, height, ringRadius, labelPx);
  for (const station of stations) {
    const point = projection([station.lon, station.lat]);
    if (!point) continue;
    const [x, y] = point;
    // The name sits above its ring, or below it when that would leave the top of the stage.
    const above = y - ringRadius - labelPx * 0.9;
    const label = { x, y: above - labelPx / 2 < 0 ? y + ringRadius + labelPx * 0.9 : above };
    placements.set(station.id, place(station, x, y, ringRadius, label));
  }
  return { mode: 'map', width, height, projection, stations: placements, circleScale: short / REFERENCE_STAGE_PX, labelPx };
}

/**
 * The projection fitted to the stage: as large as fills it on both sides (the edges of the world are
 * cropped where the stage's shape differs from the map's), but never so large that a station leaves
 * the stage. What is cropped is chosen to keep the stations centred.
 */
function fitWorld(name: ProjectionName, stations: readonly Station[], width: number, height: number, ringRadius: number, labelPx: number): GeoProjection {
  const extent = name === 'mercator' ? MERCATOR_EXTENT : SPHERE;
  const projection = (PROJECTION_FACTORIES[name] ?? geoNaturalEarth1)().fitSize([width, height], extent);
  // A globe cropped to a rectangle is no longer a globe: orthographic is only ever shown whole.
  if (name === 'orthographic') return projection;
  const [[x0, y0], [x1, y1]] = geoPath(projection).bounds(extent);
  let zoom = Math.max(width / (x1 - x0), height / (y1 - y0));
  const points = stations.flatMap((s) => {
    const point = projection([s.lon, s.lat]);
    return point ? [point] : [];
  });
  let [sx0, sy0, sx1, sy1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of points) [sx0, sy0, sx1, sy1] = [Math.min(sx0, x), Math.min(sy0, y), Math.max(sx1, x), Math.max(sy1, y)];
  if (points.length > 0) {
    const marginX = Math.max(2 * ringRadius, width * STATION_MARGIN_SHARE);
    const marginY = Math.max(ringRadius + 1.5 * labelPx, height * STATION_MARGIN_SHARE);
    if (sx1 > sx0) zoom = Math.min(zoom, (width - 2 * marginX) / (sx1 - sx0));
    if (sy1 > sy0) zoom = Math.min(zoom, (height - 2 * marginY) / (sy1 - sy0));
  }
  zoom = Math.max(1, zoom);
  const [tx, ty] = projection.translate();
  // Zoom about the projection's centre (a point p moves to t + (p - t) * zoom), then shift.
  const at = (p: number, t: number) => t + (p - t) * zoom;
  const shift = (mapFrom: number, mapTo: number, stationsFrom: number, stationsTo: number, side: number) => {
    const [from, to] = [mapFrom, mapTo];
    if (to - from <= side) return side / 2 - (from + to) / 2; // smaller than the stage: centred
    const wanted = Number.isFinite(stationsFrom) ? side / 2 - (stationsFrom + stationsTo) / 2 : side / 2 - (from + to) / 2;
    return Math.min(-from, Math.max(side - to, wanted)); // no empty band at either edge
  };
  const dx = shift(at(x0, tx), at(x1, tx), at(sx0, tx), at(sx1, tx), width);
  const dy = shift(at(y0, ty), at(y1, ty), at(sy0, ty), at(sy1, ty), height);
  return projection.scale(projection.scale() * zoom).translate([tx + dx, ty + dy]);
}

/** Every station's ring in a grid of equal cells, as many columns as make the cells largest. */
function layoutEnsemble(stations: readonly Station[], width: number, height: number, labelPx: number): SceneLayout {
  const { columns, rows } = ensembleGrid(stations.length, width, height);
  const [cellWidth, cellHeight] = [width / columns, height / rows];
  const ringRadius = Math.min(cellWidth, cellHeight) * CLOSE_UP_RING_SHARE;
  const placements = new Map<string, StationPlacement>();
  stations.forEach((station, i) => {
    const row = Math.floor(i / columns);
    // A last row that is not full is centred.
    const inRow = row === rows - 1 ? stations.length - row * columns : columns;
    const x = (width - inRow * cellWidth) / 2 + ((i % columns) + 0.5) * cellWidth;
    const y = (row + 0.5) * cellHeight;
    placements.set(station.id, place(station, x, y, ringRadius, { x, y }));
  });
  return { mode: 'ensemble', width, height, projection: null, stations: placements, circleScale: Math.max(0.5, ringRadius / 60), labelPx };
}

/** Columns and rows for `count` cells on a width x height stage: the grid whose cells' shorter side is longest. */
export function ensembleGrid(count: number, width: number, height: number): { columns: number; rows: number } {
  let best = { columns: 1, rows: Math.max(1, count), side: 0 };
  for (let columns = 1; columns <= Math.max(1, count); columns++) {
    const rows = Math.ceil(count / columns);
    const side = Math.min(width / columns, height / rows);
    if (side > best.side) best = { columns, rows, side };
  }
  return { columns: best.columns, rows: best.rows };
}

function place(station: Station, x: number, y: number, ringRadius: number, label: { x: number; y: number }): StationPlacement {
  return { station, x, y, ringRadius, chimes: chimeRing(x, y, ringRadius, station.chimes), label };
}

/** Where a station's chimes hang: evenly on a ring, the first at the top (chime buttons are placed over these). */
export function chimeRing(x: number, y: number, ringRadius: number, chimes: number): { x: number; y: number }[] {
  return Array.from({ length: chimes }, (_, chime) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * chime) / chimes;
    return { x: x + ringRadius * Math.cos(angle), y: y + ringRadius * Math.sin(angle) };
  });
}
