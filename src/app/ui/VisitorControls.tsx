// Everything a visitor plays with, laid over the map (MapStage's children): the close-up's chime
// buttons, the station popover (pointing at a station's button on the map offers its chimes; a
// click or tap still opens the close-up, where the chimes are buttons too), and the screen-reader
// line for others' touches. Only where touches can reach everyone: the live relay, buttons on.
import { useCallback, useEffect, useRef, useState } from 'react';
import { wantsArtistMode } from '../artist';
import { useLive, useLiveStore } from '../store/useLive';
import { useVisitorState } from '../visitors/useVisitors';
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
    // MapStage's station buttons (data-station); a touch screen has no pointing, only the tap.
    const onPoint = (event: PointerEvent) => {
      if (event.pointerType === 'touch' || !(event.target instanceof Element)) return;
      const spot = event.target.closest<HTMLElement>('[data-testid="station-spot"]');
      const station = spot && store.getState().stations.find((s) => s.id === spot.dataset.station);
      if (!spot || !station) return;
      const [box, stageBox] = [spot.getBoundingClientRect(), stage.getBoundingClientRect()];
      setPopover({ station, x: box.left + box.width / 2 - stageBox.left, y: box.top + box.height / 2 - stageBox.top });
    };
    const onCanvasClick = (event: MouseEvent) => event.target instanceof HTMLCanvasElement && setPopover(null);
    stage.addEventListener('pointerover', onPoint);
    stage.addEventListener('click', onCanvasClick);
    return () => {
      stage.removeEventListener('pointerover', onPoint);
      stage.removeEventListener('click', onCanvasClick);
    };
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
