// Everything a visitor plays with, laid over the map (MapStage's children): the close-up's chime
// buttons, the world view's station popover, and the screen-reader line for others' touches.
// Only where touches can reach everyone: the live relay, with the page's buttons on.
import { useCallback, useEffect, useRef, useState } from 'react';
import { wantsArtistMode } from '../artist';
import { useLive, useLiveStore } from '../store/useLive';
import { stationAt } from '../visitors/stationAt';
import { useVisitorState } from '../visitors/useVisitors';
import { layoutScene } from '../visual/layout';
import { ChimeButtons } from './ChimeButtons';
import { StationPopover, type PopoverPlace } from './StationPopover';
import './visitors.css';

export function VisitorControls() {
  const root = useRef<HTMLDivElement>(null);
  const store = useLiveStore();
  const [size, setSize] = useState({ width: 0, height: 0 });
  const [popover, setPopover] = useState<PopoverPlace | null>(null);
  const buttons = useVisitorState((s) => s.buttons);
  const live = useLive((s) => s.source === 'relay');
  const focus = useLive((s) => s.focusStation);
  const station = useLive((s) => s.stations.find((candidate) => candidate.id === s.focusStation) ?? null);
  // Artist mode plays keys 1-9 and clicks on this page only: the visitor's keys and popover stand aside.
  const [artist] = useState(() => wantsArtistMode(new URLSearchParams(location.search)));
  const enabled = buttons && live;
  const close = useCallback(() => setPopover(null), []);

  useEffect(() => {
    const stage = root.current?.parentElement;
    if (!stage) return;
    const observer = new ResizeObserver(() => setSize({ width: stage.clientWidth, height: stage.clientHeight }));
    observer.observe(stage);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const stage = root.current?.parentElement;
    if (!stage || !enabled || focus !== null || artist) return;
    const onClick = (event: MouseEvent) => {
      if (!(event.target instanceof HTMLCanvasElement)) return;
      const rect = event.target.getBoundingClientRect();
      const { stations, visual } = store.getState();
      const layout = layoutScene(stations, Math.max(1, Math.round(rect.width)), Math.max(1, Math.round(rect.height)), null, visual.projection);
      const hit = stationAt(layout, event.clientX - rect.left, event.clientY - rect.top);
      setPopover(hit ? { station: hit.station, x: hit.x, y: hit.y } : null);
    };
    stage.addEventListener('click', onClick);
    return () => stage.removeEventListener('click', onClick);
  }, [enabled, focus, artist, store]);
  useEffect(() => {
    if (!enabled || focus !== null) setPopover(null);
  }, [enabled, focus]);

  return (
    <div className="visitor-controls" ref={root}>
      {enabled && station && size.width > 0 && <ChimeButtons station={station} size={size} keys={!artist} />}
      {enabled && popover && <StationPopover place={popover} bounds={size} onClose={close} />}
      <TouchAnnouncements />
    </div>
  );
}

/** Others' touches, for screen readers (at most one line per TOUCH_ANNOUNCE_INTERVAL_MS). */
function TouchAnnouncements() {
  const announcement = useVisitorState((s) => s.announcement);
  return (
    <div className="visually-hidden" aria-live="polite" data-testid="touch-announcements">
      {announcement}
    </div>
  );
}
