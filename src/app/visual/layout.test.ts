import { describe, expect, it } from 'vitest';
import type { Station } from '../../protocol';
import { layoutScene } from './layout';

const station = (id: string, lat: number, lon: number, chimes = 6): Station => ({ id, name: id, lat, lon, chimes, online: true, lastSeen: null });
const stations = [station('chicago', 41.88, -87.63), station('tokyo', 35.68, 139.69, 5), station('wellington', -41.29, 174.78, 7)];

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
});
