// The live page's core, framework-free and free of the DOM: it owns the store, the strike router,
// the stats, the source (switchable in place) and the sound engine's lifetime. React and the page
// modes (artist, kiosk, embed) read the store and call these actions; the browser shell
// (browserPage.ts) passes in what it takes from the window: the address, storage, the audio unlock.
import { createListenHandler, type AudioEngine } from '../audio';
import { StrikeRouter, type StrikeOutput } from '../rhythm/strikeRouter';
import { createLiveStore, type LiveStore } from '../store/liveStore';
import type { SoundSettings } from '../store/soundSettings';
import { relayUrlFrom } from '../transport/relayTransport';
import { addressNotice, createTransport as createRegisteredTransport } from '../transport/registry';
import type { Transport, TransportSink } from '../transport/types';
import { SCENE_VIEWS, type SceneView } from '../visual/layout';
import type { SceneRendererOptions } from '../visual/sceneRenderer';
import { touchUrlOf } from '../visitors/touchWire';
import { createVisitors, type Visitors } from '../visitors/visitors';
import { createBenchSamples, createStats, type BenchSamples, type PageStats } from './stats';

/** How often counts and activity reach the UI. */
export const UI_REFRESH_INTERVAL_MS = 250;

/** The page's address: its query picks the source and the station in view; the page keeps it current. */
export interface PageAddress {
  current(): URL;
  /** Show `address` without loading it (history.replaceState in a browser). */
  replace(address: URL): void;
}

/** What draws strikes on a canvas; the browser's is the SceneRenderer (see attachCanvas). */
export interface CanvasOutput extends StrikeOutput {
  dispose(): void;
}

export interface LivePageOptions {
  address: PageAddress;
  /** Where mute and volume are remembered; null where storage is refused. */
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
  /** The viewer's prefers-reduced-motion at start-up. */
  reducedMotion?: boolean;
  /** Creates and resumes the audio context; called synchronously inside Listen's click. */
  unlockAudio(settings: SoundSettings): Promise<AudioEngine>;
  /** Makes the source a query names; default: the registry (`?source=`). */
  createTransport?: (params: URLSearchParams, location: { protocol: string; host: string }) => Transport;
  /** The socket visitors' touches go through (tests pass `ws`); default: the browser's WebSocket. */
  WebSocketImpl?: typeof WebSocket;
  timers?: { setInterval(run: () => void, ms: number): unknown; clearInterval(timer: unknown): void };
  now?: () => number;
}

export interface LivePage {
  readonly store: LiveStore;
  readonly stats: PageStats;
  /** Raw samples for bench/page with `?bench=1`, else null. */
  readonly bench: BenchSamples | null;
  /** The source feeding the page now; switchSource replaces it. */
  readonly source: Transport;
  /** The sound engine, once Listen has started it. */
  readonly engine: AudioEngine | null;
  /** Visitors playing the chimes for everyone (`/touch` beside the relay's `/live`; `?buttons=0`: no buttons). */
  readonly visitors: Visitors;
  /** Starts the source. Watchers (watchSource) added before see its first event. */
  start(): void;
  /** Hears every event of every source, before the page handles it (the kiosk's watchdog). */
  watchSource(listener: () => void): () => void;
  /** Hears each switch, with the new source (the artist's wind controls follow it). */
  onSourceSwitched(listener: (source: Transport) => void): () => void;
  /**
   * Draws the strikes with what `draw` makes (a renderer bound to a canvas: the DOM stays with the
   * caller) until the returned function is called. `hooks` are the page's own renderer hooks
   * (`?bench=1` samples), to combine with the caller's (combineSceneHooks).
   */
  attachCanvas(draw: (stats: PageStats, hooks: SceneRendererOptions) => CanvasOutput): () => void;
  /** A strike on this page only (the artist's keys and clicks; a visitor's touch's echo): drawn and sounded now, sent nowhere. */
  strikeHere(station: string, chime: number, v: number, touch?: boolean): void;
  /** Listen: starts the sound. Call it synchronously inside the click (browsers allow sound only then). */
  listen(): void;
  /** "Retry now": a source waiting to reconnect tries at once instead of waiting out its backoff. */
  retryNow(): void;
  /** Replaces the source with the one `address` names, in place: tuning and sound carry over. */
  switchSource(address: URL): void;
  dispose(): void;
}

export function createLivePage(options: LivePageOptions): LivePage {
  const { address } = options;
  const timers = options.timers ?? globalThis;
  const now = options.now ?? Date.now;
  const makeTransport = options.createTransport ?? createRegisteredTransport;
  const sourceOf = (url: URL) => makeTransport(url.searchParams, url);

  const startAddress = address.current();
  const params = startAddress.searchParams;
  let transport = sourceOf(startAddress);
  let engine: AudioEngine | null = null;
  let disconnectEngine: (() => void) | null = null;
  const store = createLiveStore({
    source: transport.label,
    replay: transport.replay,
    notice: addressNotice(params),
    focusStation: params.get('stations')?.split(',')[0] || null,
    view: viewFrom(params),
    reducedMotion: options.reducedMotion ?? false,
    storage: options.storage,
  });
  const stats = createStats({ audio: () => engine?.stats ?? null, link: () => transport.health() });
  const bench = params.has('bench') ? createBenchSamples() : null;
  const router = new StrikeRouter(store, stats);
  const strikeHere = (station: string, chime: number, v: number, touch = false) => {
    const at = performance.now();
    for (const output of router.outputs) output.strike(station, chime, v, at, at, touch);
  };
  const visitors = createVisitors({
    live: store,
    echo: (station, chime, v) => {
      stats.touchesEchoed++;
      strikeHere(station, chime, v, true);
    },
    client: { url: touchUrlOf(relayUrlFrom(params, startAddress)), ...(options.WebSocketImpl ? { WebSocketImpl: options.WebSocketImpl } : {}) },
    buttons: params.get('buttons') !== '0',
  });
  router.ownTouch = visitors.heard;
  const benchHooks: SceneRendererOptions = bench
    ? {
        onCircleDrawn: (ms, frames, touch) => {
          bench.drawLatencyMs.push(ms);
          bench.drawLatencyFrames.push(frames);
          if (touch) bench.touchDrawLatencyFrames.push(frames);
        },
        onFrame: (frameTime, drawMs) => {
          bench.frameTimes.push(frameTime);
          bench.drawWorkMs.push(drawMs);
        },
      }
    : {};
  const watchers = new Set<() => void>();
  const switchListeners = new Set<(source: Transport) => void>();
  const sink = watchedSink(router, watchers);

  const listen = createListenHandler({
    store,
    router,
    unlockAudio: options.unlockAudio,
    onEngine: (created, disconnect) => {
      engine = created;
      disconnectEngine = disconnect;
    },
    ...(bench ? { onNoteScheduled: (ms: number) => bench.audioLatencyMs.push(ms) } : {}),
  });

  // Keep `?stations=` and `?view=` in the address in step with what is in view, so it can be shared.
  const unsubscribeAddress = store.subscribe((state, previous) => {
    if (state.focusStation === previous.focusStation && state.view === previous.view) return;
    const url = address.current();
    if (state.focusStation) url.searchParams.set('stations', state.focusStation);
    else url.searchParams.delete('stations');
    if (state.view !== 'world') url.searchParams.set('view', state.view);
    else url.searchParams.delete('view');
    address.replace(url);
  });
  const refresh = timers.setInterval(() => store.getState().publishActivity(now()), UI_REFRESH_INTERVAL_MS);

  return {
    store,
    stats,
    bench,
    get source() {
      return transport;
    },
    get engine() {
      return engine;
    },
    visitors,
    start: () => transport.start(sink),
    watchSource(listener) {
      watchers.add(listener);
      return () => void watchers.delete(listener);
    },
    onSourceSwitched(listener) {
      switchListeners.add(listener);
      return () => void switchListeners.delete(listener);
    },
    attachCanvas(draw) {
      const renderer = draw(stats, benchHooks);
      router.outputs.add(renderer);
      return () => {
        router.outputs.delete(renderer);
        renderer.dispose();
      };
    },
    strikeHere,
    listen,
    retryNow: () => transport.retryNow?.(),
    switchSource(next) {
      // The old source stops first: no event of it reaches the page after the switch.
      transport.stop();
      address.replace(next);
      transport = sourceOf(next);
      store.setState({ source: transport.label, replay: transport.replay, connection: { state: 'connecting' }, notice: addressNotice(next.searchParams) });
      transport.start(sink);
      for (const listener of switchListeners) listener(transport);
    },
    dispose() {
      transport.stop();
      timers.clearInterval(refresh);
      unsubscribeAddress();
      disconnectEngine?.();
      engine?.dispose();
      engine = null;
      watchers.clear();
      switchListeners.clear();
      visitors.dispose();
    },
  };
}

/** `?view=ensemble` shows every station's ring at once; anything else (or nothing) the world map. */
export function viewFrom(params: URLSearchParams): SceneView {
  const asked = params.get('view');
  return SCENE_VIEWS.find((view) => view === asked) ?? 'world';
}

/** Both sets of renderer hooks, each called when set (the kiosk's watchdog and `?bench=1` together). */
export function combineSceneHooks(a: SceneRendererOptions = {}, b: SceneRendererOptions = {}): SceneRendererOptions {
  const combined: SceneRendererOptions = {};
  if (a.onCircleDrawn || b.onCircleDrawn)
    combined.onCircleDrawn = (ms, frames, touch) => {
      a.onCircleDrawn?.(ms, frames, touch);
      b.onCircleDrawn?.(ms, frames, touch);
    };
  if (a.onFrame || b.onFrame)
    combined.onFrame = (frameTime, drawMs) => {
      a.onFrame?.(frameTime, drawMs);
      b.onFrame?.(frameTime, drawMs);
    };
  if (a.onLayout || b.onLayout)
    combined.onLayout = (layout) => {
      a.onLayout?.(layout);
      b.onLayout?.(layout);
    };
  return combined;
}

/** Forwards every source event to `sink`, telling the watchers first that the source is alive. */
function watchedSink(sink: TransportSink, watchers: ReadonlySet<() => void>): TransportSink {
  const pulse = () => {
    for (const watcher of watchers) watcher();
  };
  return {
    start: (start) => (pulse(), sink.start(start)),
    strike: (strike) => (pulse(), sink.strike(strike)),
    touch: (touch) => (pulse(), sink.touch?.(touch)),
    station: (station) => (pulse(), sink.station(station)),
    stationRemoved: (id) => (pulse(), sink.stationRemoved(id)),
    presence: (viewers, visitors) => (pulse(), sink.presence(viewers, visitors)),
    status: (status) => (pulse(), sink.status(status)),
    refused: (detail) => (pulse(), sink.refused(detail)),
  };
}
