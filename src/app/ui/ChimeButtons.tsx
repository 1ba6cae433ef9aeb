// In a station's close-up every chime is a button, laid over the chime on the canvas: pointer, touch
// and keyboard (Tab to it, Enter or Space; keys 1-9 anywhere on the page, as in artist mode). A
// press is a visitor's touch: heard and seen here at once, then by everyone through the relay.
import { useEffect } from 'react';
import type { Station } from '../../protocol';
import { useLive } from '../store/useLive';
import { chimeOfKey } from '../visitors/chimeKeys';
import { useVisitors, useVisitorState } from '../visitors/useVisitors';
import { layoutScene } from '../visual/layout';
import { TouchFeedbackLine } from './TouchFeedbackLine';

export function ChimeButtons({ station, size, keys }: { station: Station; size: { width: number; height: number }; keys: boolean }) {
  const visitors = useVisitors();
  const projection = useLive((s) => s.visual.projection);
  const resting = useVisitorState((s) => !s.participation.enabled || s.participation.stations[station.id] === false);
  useEffect(() => visitors.open(), [visitors]);
  useEffect(() => {
    if (!keys) return;
    const onKey = (event: KeyboardEvent) => {
      const chime = chimeOfKey(event, station);
      if (chime !== null) visitors.play(station.id, chime);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [keys, station, visitors]);

  const placement = layoutScene([station], size.width, size.height, station.id, projection).stations.get(station.id);
  return (
    <div className="chime-buttons" role="group" aria-label={`Play the chimes of ${station.name} for everyone listening`} data-testid="chime-buttons">
      {placement?.chimes.map((point, chime) => (
        <button
          key={chime}
          type="button"
          className="chime-button"
          style={{ left: point.x, top: point.y }}
          aria-label={`Play chime ${chime + 1}`}
          aria-keyshortcuts={chime < 9 ? String(chime + 1) : undefined}
          aria-disabled={resting || undefined}
          data-testid={`chime-button-${chime}`}
          onClick={() => visitors.play(station.id, chime)}
        >
          {chime + 1}
        </button>
      ))}
      <TouchFeedbackLine resting={resting} stationName={station.name} />
    </div>
  );
}
