// `?kiosk`: the map alone, full screen, no controls. Along the bottom edge, only when there is
// something to say: calm, offline (after a grace period), "touch for sound", and which source
// feeds the screen when it is not the real relay.
import { useEffect, useRef, useState } from 'react';
import { useLive, useLiveStore } from '../store/useLive';
import { MapStage } from '../ui/MapStage';
import type { SceneRendererOptions } from '../visual/sceneRenderer';
import { hideIdleCursor } from './idleCursor';
import { calmNotice, offlineNotice, type NoticeTimes } from './notices';
import './kiosk.css';

/** How often the calm/offline line is recomputed (it counts minutes). */
export const KIOSK_NOTICE_REFRESH_MS = 5_000;

export interface KioskAppProps {
  rendererOptions: SceneRendererOptions;
  /** Date.now() ms the page started watching. */
  watchingSince: number;
  /** Date.now() ms the connection last stopped being live (or watchingSince). */
  notLiveSince: () => number;
  /** When the calm and offline notices appear (`?calmS=`, `?offlineS=`). */
  noticeTimes: NoticeTimes;
  waitingForTouch: boolean;
}

export function KioskApp({ rendererOptions, watchingSince, notLiveSince, noticeTimes, waitingForTouch }: KioskAppProps) {
  const root = useRef<HTMLDivElement>(null);
  const store = useLiveStore();
  const connection = useLive((s) => s.connection);
  const source = useLive((s) => s.source);
  const [line, setLine] = useState<string | null>(null);

  useEffect(() => hideIdleCursor(root.current!), []);
  useEffect(() => {
    let shown: string | null = null;
    const refresh = () => {
      const state = store.getState();
      const now = Date.now();
      const offline = offlineNotice(state.connection, notLiveSince(), now, noticeTimes.offlineAfterMs);
      shown = offline ?? (state.connection.state === 'live' ? calmNotice({ ...state, watchingSince, now, calmAfterMs: noticeTimes.calmAfterMs }) : null);
      setLine(shown);
    };
    refresh();
    const timer = setInterval(refresh, KIOSK_NOTICE_REFRESH_MS);
    // While a notice shows, new activity (a strike after a calm) is checked at once, not at the next refresh.
    const unsubscribe = store.subscribe((state, previous) => {
      if (shown !== null && state.activity !== previous.activity) refresh();
    });
    return () => {
      clearInterval(timer);
      unsubscribe();
    };
  }, [store, connection, watchingSince, notLiveSince, noticeTimes]);

  return (
    <div className="kiosk" ref={root} data-testid="kiosk" data-connection={connection.state}>
      <MapStage rendererOptions={rendererOptions} interactive={false} />
      <div className="kiosk-edge">
        <p className="kiosk-line" role="status" data-testid="kiosk-notice">
          {line}
        </p>
        {waitingForTouch && (
          <p className="kiosk-line kiosk-touch" data-testid="touch-for-sound">
            touch for sound
          </p>
        )}
        {source !== 'relay' && <p className="kiosk-line">{source}</p>}
      </div>
    </div>
  );
}
