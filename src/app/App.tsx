// The live page: header (status, listeners, sound), the map, and the side panel. Composition only;
// state lives in the store, drawing in visual/, sound in audio/, both fed by the page core (page/).
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
import { VisitorControls } from './ui/VisitorControls';
import { VisitorCount } from './ui/VisitorCount';

export function App() {
  return (
    <div className="page">
      <header className="top">
        <h1 className="title">aeolian</h1>
        <StatusPill />
        <ListenerCount />
        <VisitorCount />
        <SoundControls />
      </header>
      <Notice />
      <main className="content">
        <MapStage>
          <VisitorControls />
        </MapStage>
        <aside className="panel" aria-label="Stations and legend">
          <PanelGate>
            <StationList />
            <Legend />
            <About />
          </PanelGate>
        </aside>
      </main>
      <LiveSummary />
    </div>
  );
}

