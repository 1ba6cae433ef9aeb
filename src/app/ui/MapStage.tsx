// Owns the canvas element; the SceneRenderer draws into it on its own frame loop.
import { useEffect, useRef } from 'react';
import type { StrikeRouter } from '../rhythm/strikeRouter';
import { useLiveStore } from '../store/useLive';
import { SceneRenderer, type SceneRendererOptions } from '../visual/sceneRenderer';

export function MapStage({ router, stats, rendererOptions }: { router: StrikeRouter; stats: { circlesDrawn: number }; rendererOptions?: SceneRendererOptions }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const store = useLiveStore();
  useEffect(() => {
    const renderer = new SceneRenderer(canvas.current!, store, stats, rendererOptions);
    router.outputs.add(renderer);
    return () => {
      router.outputs.delete(renderer);
      renderer.dispose();
    };
  }, [router, store, stats, rendererOptions]);
  return (
    <div className="stage">
      <canvas ref={canvas} data-testid="map" role="img" aria-label="World map of the wind chime stations; each strike shows as a growing circle" />
    </div>
  );
}
