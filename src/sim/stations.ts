// The simulated stations: real places on several continents, each with its own typical windiness.

export interface SimStationSpec {
  id: string;
  name: string;
  lat: number;
  lon: number;
  chimes: number;
  /** Mean wind scale of the site, 0.5..1.5 (1 = an ordinary breezy place). */
  windiness: number;
}

export const SIM_STATIONS: readonly SimStationSpec[] = [
  { id: 'chicago', name: 'Chicago', lat: 41.8781, lon: -87.6298, chimes: 6, windiness: 1.0 },
  { id: 'wellington', name: 'Wellington', lat: -41.2866, lon: 174.7756, chimes: 7, windiness: 1.4 },
  { id: 'reykjavik', name: 'Reykjavík', lat: 64.1466, lon: -21.9426, chimes: 6, windiness: 1.3 },
  { id: 'cape-town', name: 'Cape Town', lat: -33.9249, lon: 18.4241, chimes: 8, windiness: 1.2 },
  { id: 'tokyo', name: 'Tokyo', lat: 35.6762, lon: 139.6503, chimes: 5, windiness: 0.7 },
  { id: 'valparaiso', name: 'Valparaíso', lat: -33.0472, lon: -71.6127, chimes: 6, windiness: 0.9 },
];
