// Which station a click on the world map means: the nearest one whose ring is within reach. Pure.
import type { SceneLayout, StationPlacement } from '../visual/layout';

/** A click this far outside a station's ring (CSS px) still picks it: a thumb is not a mouse. */
export const STATION_HIT_SLOP_PX = 14;

export function stationAt(layout: SceneLayout, x: number, y: number, slopPx = STATION_HIT_SLOP_PX): StationPlacement | null {
  let best: StationPlacement | null = null;
  let bestDistance = Infinity;
  for (const placement of layout.stations.values()) {
    const distance = Math.hypot(placement.x - x, placement.y - y);
    if (distance <= placement.ringRadius + slopPx && distance < bestDistance) {
      best = placement;
      bestDistance = distance;
    }
  }
  return best;
}
