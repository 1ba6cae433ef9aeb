// `?kiosk`: a screen in a gallery, unattended for weeks. Wires the pieces that keep it healthy
// (watchdog, wake lock, sound without a button) around the live page's store, router and transport,
// and hands main.tsx the sink for the transport and the view to render.
import { useSyncExternalStore, type ReactNode } from 'react';
import type { PageStats } from '../debug';
import type { StrikeRouter } from '../rhythm/strikeRouter';
import type { LiveStore } from '../store/liveStore';
import type { Transport, TransportSink } from '../transport/types';
import type { SceneRendererOptions } from '../visual/sceneRenderer';
import { startSoundAutomatically } from './autoSound';
import { KioskApp } from './KioskApp';
import { noticeTimesFrom } from './notices';
import { holdScreenAwake, type ScreenWakeLock } from './wakeLock';
import { reloadWhenReachable, stallMsFrom, startWatchdog, type Watchdog } from './watchdog';

export interface PageModeDeps {
  params: URLSearchParams;
  store: LiveStore;
  router: StrikeRouter;
  stats: PageStats;
  transport: Transport;
  onListen: () => void;
}

export interface PageMode {
  /** What the transport feeds: the router, observed by the mode. */
  sink: TransportSink;
  view: ReactNode;
}

/** Read by tests and curious people; nothing depends on it. */
export interface KioskDebug {
  watchdog: Watchdog;
  wakeLock: ScreenWakeLock;
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

/** Forwards every transport event to `sink`, calling `pulse` first: the transport is alive. */
export function pulsingSink(sink: TransportSink, pulse: () => void): TransportSink {
  return {
    start: (start) => (pulse(), sink.start(start)),
    strike: (strike) => (pulse(), sink.strike(strike)),
    station: (station) => (pulse(), sink.station(station)),
    stationRemoved: (id) => (pulse(), sink.stationRemoved(id)),
    presence: (viewers) => (pulse(), sink.presence(viewers)),
    status: (status) => (pulse(), sink.status(status)),
    refused: (detail) => (pulse(), sink.refused(detail)),
  };
}

export function startKiosk({ params, store, router, stats, transport, onListen }: PageModeDeps): PageMode {
  const watchingSince = Date.now();
  let notLiveSince = watchingSince;
  store.subscribe((state, previous) => {
    if (previous.connection.state === 'live' && state.connection.state !== 'live') notLiveSince = Date.now();
  });

  const watchdog = startWatchdog({
    stallMs: stallMsFrom(params),
    // Only the relay promises a heartbeat; a calm simulation or a paused replay is silent by right.
    watchTransport: transport.label === 'relay',
    reload: reloadWhenReachable,
  });
  const wakeLock = holdScreenAwake();
  const touch = createFlag();
  startSoundAutomatically(onListen, touch.set);
  window.aeolianKiosk = { watchdog, wakeLock, stallTransport: () => transport.stop() };

  const rendererOptions: SceneRendererOptions = { onFrame: () => watchdog.frame() };
  const getNotLiveSince = () => notLiveSince;
  const noticeTimes = noticeTimesFrom(params);
  function Kiosk() {
    const waitingForTouch = useSyncExternalStore(touch.subscribe, touch.get);
    return (
      <KioskApp
        router={router}
        stats={stats}
        rendererOptions={rendererOptions}
        watchingSince={watchingSince}
        notLiveSince={getNotLiveSince}
        noticeTimes={noticeTimes}
        waitingForTouch={waitingForTouch}
      />
    );
  }
  return { sink: pulsingSink(router, () => watchdog.pulse()), view: <Kiosk /> };
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
