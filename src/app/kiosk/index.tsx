// `?kiosk`: a screen in a gallery, unattended for weeks. Wires the pieces that keep it healthy
// (watchdog, wake lock, sound without a button) around the live page's core, and hands the entry
// (main.tsx) the view to render.
import { useSyncExternalStore, type ReactNode } from 'react';
import type { LivePage } from '../page/livePage';
import type { SceneRendererOptions } from '../visual/sceneRenderer';
import { startSoundAutomatically } from './autoSound';
import { KioskApp } from './KioskApp';
import { noticeTimesFrom } from './notices';
import { startTour, tourFromAddress, type Tour } from './tour';
import { holdScreenAwake, type ScreenWakeLock } from './wakeLock';
import { reloadWhenReachable, stallMsFrom, startWatchdog, type Watchdog } from './watchdog';

export interface PageModeDeps {
  params: URLSearchParams;
  page: LivePage;
}

/** A page mode brings its own view of the page (and may watch the source before it starts). */
export interface PageMode {
  view: ReactNode;
}

/** Read by tests and curious people; nothing depends on it. */
export interface KioskDebug {
  watchdog: Watchdog;
  wakeLock: ScreenWakeLock;
  tour: Tour;
  /** Test hook: stop the transport as a wedged one would (the watchdog should then reload). */
  stallTransport(): void;
}

declare global {
  interface Window {
    aeolianKiosk?: KioskDebug;
  }
}

export function isKiosk(params: URLSearchParams): boolean {
  return params.has('kiosk');
}

export function startKiosk({ params, page }: PageModeDeps): PageMode {
  const { store } = page;
  const watchingSince = Date.now();
  let notLiveSince = watchingSince;
  store.subscribe((state, previous) => {
    if (previous.connection.state === 'live' && state.connection.state !== 'live') notLiveSince = Date.now();
  });

  const watchdog = startWatchdog({
    stallMs: stallMsFrom(params),
    // Only the relay promises a heartbeat; a calm simulation or a paused replay is silent by right.
    watchTransport: store.getState().source === 'relay',
    reload: reloadWhenReachable,
  });
  const wakeLock = holdScreenAwake();
  const touch = createFlag();
  page.watchSource(() => watchdog.pulse());
  startSoundAutomatically(page.listen, touch.set);
  // `?tour=` wins over the preset's tour, which may arrive after start: the tour reads it at each step.
  const addressTour = tourFromAddress(params, store.getState().visual.tour.dwellS);
  const tour = startTour({ store, settings: () => addressTour ?? store.getState().visual.tour });
  window.aeolianKiosk = { watchdog, wakeLock, tour, stallTransport: () => page.source.stop() };

  const rendererOptions: SceneRendererOptions = { onFrame: () => watchdog.frame() };
  const getNotLiveSince = () => notLiveSince;
  const noticeTimes = noticeTimesFrom(params);
  function Kiosk() {
    const waitingForTouch = useSyncExternalStore(touch.subscribe, touch.get);
    return (
      <KioskApp
        rendererOptions={rendererOptions}
        watchingSince={watchingSince}
        notLiveSince={getNotLiveSince}
        noticeTimes={noticeTimes}
        waitingForTouch={waitingForTouch}
      />
    );
  }
  return { view: <Kiosk /> };
}

/** A boolean React can subscribe to. */
function createFlag() {
  let value = false;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set: (next: boolean) => {
      value = next;
      for (const listener of listeners) listener();
    },
    subscribe: (listener: () => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
