// Entry: /admin loads the admin app lazily (viewers never download it); everything else is the
// live page: a transport chosen by URL feeds the strike router, which feeds the store, the canvas
// and (after Listen) the sound.
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { unlockAudio, type AudioEngine } from './audio';
import { createBenchSamples, createStats, installDebugSurface } from './debug';
import type { SceneRendererOptions } from './visual/sceneRenderer';
import { StrikeRouter } from './rhythm/strikeRouter';
import { createLiveStore } from './store/liveStore';
import { LiveStoreContext } from './store/useLive';
import { createTransport, unknownSourceNotice } from './transport/registry';
import { RelayTransport } from './transport/relayTransport';
import { ReplayTransport } from './transport/replayTransport';
import type { Transport } from './transport/types';
import { createListenHandler } from './ui/listen';
import { isEmbed, startEmbed } from './embed';
import { isKiosk, startKiosk } from './kiosk';
import { loadStartupPreset, startArtistModeLazily, wantsArtistMode } from './artist';
import './ui/page.css';

/** How often counts and activity reach the UI. */
export const UI_REFRESH_INTERVAL_MS = 250;

const AdminApp = lazy(() => import('./admin/AdminApp'));
const root = createRoot(document.getElementById('root')!);

if (location.pathname.startsWith('/admin')) {
  root.render(
    <StrictMode>
      <Suspense fallback={<p>Loading…</p>}>
        <AdminApp />
      </Suspense>
    </StrictMode>,
  );
} else {
  startLivePage();
}

function startLivePage(): void {
  const params = new URLSearchParams(location.search);
  let transport: Transport = createTransport(params, location);
  const replayOf = (t: Transport) => (t instanceof ReplayTransport ? t.info : null);
  const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');
  const store = createLiveStore({
    source: transport.label,
    replay: replayOf(transport),
    notice: unknownSourceNotice(params),
    focusStation: params.get('stations')?.split(',')[0] || null,
    reducedMotion: reducedMotion.matches,
    storage: safeLocalStorage(),
  });
  let engine: AudioEngine | null = null;
  const stats = createStats({
    audio: () => engine?.stats ?? null,
    reconnects: () => (transport instanceof RelayTransport ? transport.reconnects : 0),
    seqMissing: () => (transport instanceof RelayTransport ? transport.position.missing : 0),
  });
  // `?bench=1`: keep raw latency and frame samples for bench/page.
  const bench = params.has('bench') ? createBenchSamples() : undefined;
  installDebugSurface(store, stats, bench);
  const rendererOptions: SceneRendererOptions | undefined = bench && {
    onCircleDrawn: (ms, frames) => {
      bench.drawLatencyMs.push(ms);
      bench.drawLatencyFrames.push(frames);
    },
    onFrame: (frameTime, drawMs) => {
      bench.frameTimes.push(frameTime);
      bench.drawWorkMs.push(drawMs);
    },
  };
  const router = new StrikeRouter(store, stats);
  const onListen = createListenHandler({
    store,
    router,
    unlockAudio,
    onEngine: (created) => (engine = created),
    ...(bench ? { onNoteScheduled: (ms: number) => bench.audioLatencyMs.push(ms) } : {}),
  });

  // `?kiosk` and `?embed` watch the transport and bring their own view; otherwise the full page.
  const modeDeps = { params, store, router, stats, transport, onListen };
  const mode = isKiosk(params) ? startKiosk(modeDeps) : isEmbed(params) ? startEmbed(modeDeps) : null;

  // Keep `?stations=` in the address in step with the station in view, so it can be shared.
  store.subscribe((state, previous) => {
    if (state.focusStation === previous.focusStation) return;
    const url = new URL(location.href);
    if (state.focusStation) url.searchParams.set('stations', state.focusStation);
    else url.searchParams.delete('stations');
    history.replaceState(null, '', url);
  });
  reducedMotion.addEventListener('change', () => store.getState().setVisual({ reducedMotion: reducedMotion.matches }));
  setInterval(() => store.getState().publishActivity(Date.now()), UI_REFRESH_INTERVAL_MS);
  transport.start(mode?.sink ?? router);
  // Artist mode's replay picker: another source in place (the old one stopped first), so the tuning
  // and the sound carry over; the address follows, so a reload or a shared link plays the same.
  const switchSource = (address: URL) => {
    transport.stop();
    history.replaceState(null, '', address);
    transport = createTransport(address.searchParams, location);
    store.setState({ source: transport.label, replay: replayOf(transport), connection: { state: 'connecting' }, notice: null });
    transport.start(mode?.sink ?? router);
  };
  // Every visitor gets the shipped look (public/presets/default.json), or `?preset=<name>`.
  void loadStartupPreset(store, params, safeLocalStorage());
  // `?dev` (always under `npm run dev`): the artist's panel, a chunk ordinary visitors never fetch.
  if (wantsArtistMode(params)) startArtistModeLazily({ store, router, stats, transport, switchSource, engine: () => engine, storage: safeLocalStorage() });

  root.render(
    <StrictMode>
      <LiveStoreContext.Provider value={store}>
        {mode?.view ?? <App router={router} stats={stats} onListen={onListen} {...(rendererOptions ? { rendererOptions } : {})} />}
      </LiveStoreContext.Provider>
    </StrictMode>,
  );
}

function safeLocalStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
