// Where everything sits on screen: the world map (each station at its coordinates, its chimes in a
// small ring around it) or one station close up (chimes in a ring like a real wind chime). Pure.
import { geoEqualEarth, geoEquirectangular, geoMercator, geoNaturalEarth1, geoOrthographic, type GeoPermissibleObjects, type GeoProjection } from 'd3';
import type { Station } from '../../protocol';
import type { ProjectionName } from '../store/visualSettings';

export interface StationPlacement {
  station: Station;
  x: number;
  y: number;
  /** Radius of the ring the chimes sit on, CSS px. */
  ringRadius: number;
  chimes: { x: number; y: number }[];
}

export interface SceneLayout {
  mode: 'map' | 'station';
  width: number;
  height: number;
  projection: GeoProjection | null;
  stations: Map<string, StationPlacement>;
  /** Multiplies circle sizes: small phones get smaller circles, the close-up bigger ones. */
  circleScale: number;
}

const MAP_PADDING_PX = 8;

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
): SceneLayout {
  const focused = focus ? stations.find((s) => s.id === focus) : undefined;
  const placements = new Map<string, StationPlacement>();
  if (focused) {
    const ringRadius = Math.min(width, height) * 0.3;
    placements.set(focused.id, place(focused, width / 2, height / 2, ringRadius));
    return { mode: 'station', width, height, projection: null, stations: placements, circleScale: Math.max(1.5, ringRadius / 60) };
  }
  const projection = (PROJECTION_FACTORIES[projectionName] ?? geoNaturalEarth1)().fitExtent(
    [
      [MAP_PADDING_PX, MAP_PADDING_PX],
      [Math.max(MAP_PADDING_PX + 1, width - MAP_PADDING_PX), Math.max(MAP_PADDING_PX + 1, height - MAP_PADDING_PX)],
    ],
    projectionName === 'mercator' ? MERCATOR_EXTENT : SPHERE,
  );
  const ringRadius = Math.min(14, Math.max(5, Math.min(width, height) / 70));
  for (const station of stations) {
    const point = projection([station.lon, station.lat]);
    if (point) placements.set(station.id, place(station, point[0], point[1], ringRadius));
  }
  return { mode: 'map', width, height, projection, stations: placements, circleScale: Math.min(1, Math.max(0.45, width / 1200)) };
}

function place(station: Station, x: number, y: number, ringRadius: number): StationPlacement {
  const chimes = Array.from({ length: station.chimes }, (_, chime) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * chime) / station.chimes;
    return { x: x + ringRadius * Math.cos(angle), y: y + ringRadius * Math.sin(angle) };
  });
  return { station, x, y, ringRadius, chimes };
}
