// `?embed`: the map with one slim bar (status, sound, a link to the full page) for an iframe.
import { useLive } from '../store/useLive';
import { MapStage } from '../ui/MapStage';
import { SoundControls } from '../ui/SoundControls';
import { StatusPill } from '../ui/StatusPill';
import { VisitorControls } from '../ui/VisitorControls';
import '../kiosk/kiosk.css';
import './embed.css';

export interface EmbedAppProps {
  /** Shown instead of obeying anyone when `?parent=` is not a valid origin. */
  configError: string | null;
}

export function EmbedApp({ configError }: EmbedAppProps) {
  const focus = useLive((s) => s.focusStation);
  const fullPage = new URL('/', location.href);
  if (focus) fullPage.searchParams.set('stations', focus);
  return (
    <div className="kiosk embed" data-testid="embed">
      <MapStage>
        <VisitorControls />
      </MapStage>
      <div className="embed-bar">
        <StatusPill />
        {configError && (
          <span className="embed-error" role="alert">
            {configError}
          </span>
        )}
        <SoundControls />
        <a className="embed-link" href={fullPage.href} target="_blank" rel="noopener noreferrer">
          aeolian ↗
        </a>
      </div>
    </div>
  );
}
