// The world view's way to play: pointing at a station on the map opens a small popover beside it
// with its chimes as buttons, and a way to see it close up. Escape, × or a click on the map closes it.
import { useEffect } from 'react';
import type { Station } from '../../protocol';
import { useLive } from '../store/useLive';
import { useVisitors, useVisitorState } from '../visitors/useVisitors';
import { TouchFeedbackLine } from './TouchFeedbackLine';

export interface PopoverPlace {
  station: Station;
  x: number;
  y: number;
}

export function StationPopover({ place, bounds, onClose }: { place: PopoverPlace; bounds: { width: number; height: number }; onClose(): void }) {
  const { station } = place;
  const visitors = useVisitors();
  const setFocus = useLive((s) => s.setFocusStation);
  const resting = useVisitorState((s) => !s.participation.enabled || s.participation.stations[station.id] === false);
  useEffect(() => visitors.open(), [visitors]);
  useEffect(() => {
    // Focus stays where it is: pointing opens this, and a keyboard user's Tab must not be taken.
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [station.id, onClose]);
  // Kept inside the map: opens to the left of a station near the right edge, above one near the bottom.
  const style = {
    left: Math.min(place.x + 12, Math.max(0, bounds.width - 260)),
    top: Math.min(place.y + 12, Math.max(0, bounds.height - 150)),
  };
  return (
    <div className="station-popover" style={style} role="dialog" aria-label={`Play ${station.name}`} data-testid="station-popover">
      <div className="popover-head">
        <strong>{station.name}</strong>
        <button type="button" className="link" onClick={onClose} aria-label="Close">
          ×
        </button>
      </div>
      <div className="chime-chips" role="group" aria-label={`Play the chimes of ${station.name} for everyone listening`}>
        {Array.from({ length: station.chimes }, (_, chime) => (
          <button
            key={chime}
            type="button"
            className="chime-chip"
            aria-label={`Play chime ${chime + 1}`}
            aria-disabled={resting || undefined}
            data-testid={`popover-chime-${chime}`}
            onClick={() => visitors.play(station.id, chime)}
          >
            {chime + 1}
          </button>
        ))}
      </div>
      <TouchFeedbackLine resting={resting} stationName={station.name} />
      <button type="button" className="link popover-closeup" onClick={() => (onClose(), setFocus(station.id))}>
        See {station.name} close up
      </button>
    </div>
  );
}
