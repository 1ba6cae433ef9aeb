// The live page: header (status, listeners, sound), the map, and the side panel. Composition only;
// state lives in the store, drawing in visual/, sound in audio/.
import type { ReactNode } from 'react';
import type { PageStats } from './debug';
import type { StrikeRouter } from './rhythm/strikeRouter';
import { About } from './ui/About';
import { Legend } from './ui/Legend';
import { ListenerCount } from './ui/ListenerCount';
import { LiveSummary } from './ui/LiveSummary';
import { MapStage } from './ui/MapStage';
import { Notice } from './ui/Notice';
import { PanelGate } from './ui/PanelGate';
import { SoundControls } from './ui/SoundControls';
import { StationList } from './ui/StationList';
import { StatusPill } from './ui/StatusPill';
import type { SceneRendererOptions } from './visual/sceneRenderer';

export interface AppProps {
  router: StrikeRouter;
  stats: PageStats;
  onListen: () => void;
  rendererOptions?: SceneRendererOptions;
  /** Extra panel sections (artist mode, ...). */
  panelExtras?: ReactNode;
}

export function App({ router, stats, onListen, rendererOptions, panelExtras }: AppProps) {
  return (
    <div className="page">
      <header className="top">
        <h1 className="title">aeolian</h1>
        <StatusPill />
        <ListenerCount />
        <SoundControls onListen={onListen} />
      </header>
      <Notice />
      <main className="content">
        <MapStage router={router} stats={stats} {...(rendererOptions ? { rendererOptions } : {})} />
        <aside className="panel" aria-label="Stations and legend">
          <PanelGate>
            <StationList />
            <Legend />
            {panelExtras}
            <About />
          </PanelGate>
        </aside>
      </main>
      <LiveSummary />
    </div>
  );
}

