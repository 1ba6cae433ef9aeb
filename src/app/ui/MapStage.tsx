// Owns the canvas element; the SceneRenderer draws into it on its own frame loop, fed by the page.
import { useEffect, useRef } from 'react';
import { combineSceneHooks } from '../page/livePage';
import { useLivePage } from '../page/LivePageProvider';
import { SceneRenderer, type SceneRendererOptions } from '../visual/sceneRenderer';

export function MapStage({ rendererOptions }: { rendererOptions?: SceneRendererOptions }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const page = useLivePage();
  useEffect(
    () => page.attachCanvas((stats, hooks) => new SceneRenderer(canvas.current!, page.store, stats, combineSceneHooks(hooks, rendererOptions))),
    [page, rendererOptions],
  );
  return (
    <div className="stage">
      <canvas ref={canvas} data-testid="map" role="img" aria-label="World map of the wind chime stations; each strike shows as a growing circle" />
    </div>
  );
}
