// Owns the canvas element; the SceneRenderer draws into it on its own frame loop, fed by the page.
// Over the canvas: a button on each station (click, tap or keyboard opens its close-up) and, in a
// close-up, the way back. The kiosk, which nobody touches, has neither.
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { combineSceneHooks } from '../page/livePage';
import { useLivePage } from '../page/LivePageProvider';
import { useLive } from '../store/useLive';
import type { SceneLayout } from '../visual/layout';
import { SceneRenderer, type SceneRendererOptions } from '../visual/sceneRenderer';

/** A station's button on the world map is at least this wide (a fingertip), CSS px. */
export const STATION_TARGET_MIN_PX = 44;

export interface MapStageProps {
  rendererOptions?: SceneRendererOptions;
  /** Stations can be opened from the map (not in the kiosk). */
  interactive?: boolean;
  /** Laid over the map, after the station buttons (the visitors' chime buttons). */
  children?: ReactNode;
}

export function MapStage({ rendererOptions, interactive = true, children }: MapStageProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const page = useLivePage();
  const [layout, setLayout] = useState<SceneLayout | null>(null);
  const hooks = useMemo(() => combineSceneHooks(rendererOptions, interactive ? { onLayout: setLayout } : {}), [rendererOptions, interactive]);
  useEffect(() => page.attachCanvas((stats, pageHooks) => new SceneRenderer(canvas.current!, page.store, stats, combineSceneHooks(pageHooks, hooks))), [page, hooks]);
  const view = useLive((s) => s.view);
  const focus = useLive((s) => s.focusStation);
  const setFocus = useLive((s) => s.setFocusStation);
  const mode = layout?.mode ?? (focus ? 'station' : view === 'ensemble' ? 'ensemble' : 'map');
  return (
    <div className="stage" data-view={mode}>
      <canvas ref={canvas} data-testid="map" role="img" aria-label={describe(mode)} />
      {interactive && layout && layout.mode !== 'station' && (
        <ul className="station-spots" aria-label="Stations on the map">
          {[...layout.stations.values()].map(({ station, x, y, ringRadius }) => {
            const size = layout.mode === 'map' ? Math.max(STATION_TARGET_MIN_PX, 2 * ringRadius + 16) : 2 * ringRadius;
            return (
              <li key={station.id}>
                <button
                  type="button"
                  className="station-spot"
                  data-testid="station-spot"
                  data-station={station.id}
                  style={{ left: x - size / 2, top: y - size / 2, width: size, height: size }}
                  aria-label={`${station.name}: show its chimes close up`}
                  onClick={() => setFocus(station.id)}
                />
              </li>
            );
          })}
        </ul>
      )}
      {interactive && mode === 'station' && (
        <button type="button" className="stage-back" data-testid="stage-back" onClick={() => setFocus(null)}>
          ← {view === 'ensemble' ? 'All stations' : 'Whole world'}
        </button>
      )}
      {children}
    </div>
  );
}

function describe(mode: SceneLayout['mode']): string {
  if (mode === 'station') return "One station close up: its chimes in a ring; each strike shows as a growing circle at its chime";
  if (mode === 'ensemble') return "Every station's chimes in rings side by side; each strike shows as a growing circle at its chime";
  return 'World map of the wind chime stations; each strike shows as a growing circle';
}
