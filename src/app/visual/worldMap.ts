// The land outline, from world-atlas (Natural Earth 1:110m), shipped as a hashed asset of this
// site (no CDN) and fetched after first paint so it never weighs on the initial JS.
import type { GeoPermissibleObjects } from 'd3';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import landUrl from 'world-atlas/land-110m.json?url';

export type Land = GeoPermissibleObjects;

export async function loadLand(): Promise<Land> {
  const response = await fetch(landUrl);
  if (!response.ok) throw new Error(`land outline: HTTP ${response.status}`);
  const topology = (await response.json()) as Topology<{ land: GeometryCollection }>;
  return feature(topology, topology.objects.land) as GeoPermissibleObjects;
}
