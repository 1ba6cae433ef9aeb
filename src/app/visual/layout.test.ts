import { geoPath } from 'd3';
import { describe, expect, it } from 'vitest';
import type { Station } from '../../protocol';
import { ensembleGrid, layoutScene } from './layout';

const station = (id: string, lat: number, lon: number, chimes = 6): Station => ({ id, name: id, lat, lon, chimes, online: true, lastSeen: null });
const stations = [station('chicago', 41.88, -87.63), station('tokyo', 35.68, 139.69, 5), station('wellington', -41.29, 174.78, 7)];
/** The six stations of the simulator: from Chicago west to Wellington, Reykjavík north to Wellington south. */
const world = [
  ...stations,
  station('reykjavik', 64.15, -21.94),
  station('cape-town', -33.92, 18.42, 8),
  station('valparaiso', -33.05, -71.61),
];

describe('layoutScene', () => {
  it('puts every station inside the viewport, west to east and north to south', () => {
    const layout = layoutScene(stations, 800, 400, null);
    expect(layout.mode).toBe('map');
    const [chicago, tokyo, wellington] = ['chicago', 'tokyo', 'wellington'].map((id) => layout.stations.get(id)!);
    for (const p of [chicago!, tokyo!, wellington!]) {
      expect(p.x).toBeGreaterThan(0);
      expect(p.x).toBeLessThan(800);
      expect(p.y).toBeGreaterThan(0);
      expect(p.y).toBeLessThan(400);
    }
    expect(chicago!.x).toBeLessThan(tokyo!.x);
    expect(tokyo!.y).toBeLessThan(wellington!.y);
  });

  // The stages of a laptop (beside the panel), a phone (portrait, landscape), the embed, 1080p and 4K.
  it.each([
    [980, 744],
    [390, 260],
    [544, 334],
    [640, 352],
    [1920, 1080],
    [3840, 2160],
  ])('fits the map to fill a %i x %i stage (within 8 %% of every edge), every station still on it', (width, height) => {
    const layout = layoutScene(world, width, height, null);
    const [[x0, y0], [x1, y1]] = geoPath(layout.projection!).bounds({ type: 'Sphere' });
    expect(x0).toBeLessThanOrEqual(width * 0.08);
    expect(y0).toBeLessThanOrEqual(height * 0.08);
    expect(x1).toBeGreaterThanOrEqual(width * 0.92);
    expect(y1).toBeGreaterThanOrEqual(height * 0.92);
    for (const p of layout.stations.values()) {
      expect(p.x - p.ringRadius).toBeGreaterThan(0);
      expect(p.x + p.ringRadius).toBeLessThan(width);
      expect(p.label.y - layout.labelPx / 2).toBeGreaterThan(0);
      expect(p.label.y + layout.labelPx / 2).toBeLessThan(height);
    }
  });

  it('sizes circles and names with the stage', () => {
    const small = layoutScene(world, 640, 352, null);
    const kiosk = layoutScene(world, 1920, 1080, null);
    expect(kiosk.circleScale / small.circleScale).toBeCloseTo(1080 / 352, 5);
    expect(kiosk.labelPx).toBeGreaterThanOrEqual(1080 * 0.02);
    expect(small.labelPx).toBeGreaterThanOrEqual(12);
  });

  it('rings each station with one point per chime', () => {
    const tokyo = layoutScene(stations, 800, 400, null).stations.get('tokyo')!;
    expect(tokyo.chimes).toHaveLength(5);
    for (const chime of tokyo.chimes) expect(Math.hypot(chime.x - tokyo.x, chime.y - tokyo.y)).toBeCloseTo(tokyo.ringRadius);
  });

  it('shows one station close up, centred, chimes on a wide ring', () => {
    const layout = layoutScene(stations, 600, 600, 'wellington');
    expect(layout.mode).toBe('station');
    expect([...layout.stations.keys()]).toEqual(['wellington']);
    const wellington = layout.stations.get('wellington')!;
    expect([wellington.x, wellington.y]).toEqual([300, 300]);
    expect(wellington.ringRadius).toBeCloseTo(180);
    expect(wellington.chimes).toHaveLength(7);
  });

  it('falls back to the map for an unknown station', () => {
    expect(layoutScene(stations, 600, 600, 'atlantis').mode).toBe('map');
  });

  it('the ensemble shows every station as its own ring, side by side, none overlapping, all on the stage', () => {
    const layout = layoutScene(world, 1920, 1080, null, 'naturalEarth', 'ensemble');
    expect(layout.mode).toBe('ensemble');
    expect([...layout.stations.keys()].sort()).toEqual(world.map((s) => s.id).sort());
    const rings = [...layout.stations.values()];
    for (const a of rings) {
      expect(a.x - a.ringRadius).toBeGreaterThan(0);
      expect(a.y + a.ringRadius).toBeLessThan(1080);
      expect(a.ringRadius).toBeGreaterThan(100);
      for (const b of rings) if (a !== b) expect(Math.hypot(a.x - b.x, a.y - b.y)).toBeGreaterThan(a.ringRadius + b.ringRadius);
    }
    // A station chosen still opens its close-up from the ensemble.
    expect(layoutScene(world, 1920, 1080, 'tokyo', 'naturalEarth', 'ensemble').mode).toBe('station');
  });

  it('picks the grid whose cells are largest', () => {
    expect(ensembleGrid(6, 1920, 1080)).toEqual({ columns: 3, rows: 2 });
    expect(ensembleGrid(6, 390, 844)).toEqual({ columns: 2, rows: 3 });
    expect(ensembleGrid(1, 800, 600)).toEqual({ columns: 1, rows: 1 });
  });
});
