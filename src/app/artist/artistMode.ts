// Artist mode (`?dev`, or any `npm run dev`): the tuning panel, local playing and presets. This
// module and tweakpane are one lazy chunk: ordinary visitors never download them.
import { Pane } from 'tweakpane';
import type { AudioEngine } from '../audio/audioEngine';
import type { PageStats } from '../debug';
import type { StrikeRouter } from '../rhythm/strikeRouter';
import type { LiveStore } from '../store/liveStore';
import { SimTransport } from '../transport/simTransport';
import type { Transport } from '../transport/types';
import './artist.css';
import { LocalPlayer } from './localPlay';
import { addMonitorFolder } from './monitorFolder';
import { PaneBinder } from './paneBinder';
import { adoptPaneStyles } from './paneStyle';
import { addPresetFolder } from './presetFolder';
import { addReplayFolder } from './replayFolder';
import { addSimFolder } from './simFolder';
import { addSoundFolder } from './soundFolder';
import { addVisualFolder } from './visualFolder';

export interface ArtistModeDeps {
  store: LiveStore;
  router: Pick<StrikeRouter, 'outputs'>;
  stats: PageStats;
  transport: Transport;
  /** Switches the page to the source an address names, in place (the replay picker uses it). */
  switchSource(address: URL): void;
  engine(): AudioEngine | null;
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
}

export interface ArtistMode {
  player: LocalPlayer;
  dispose(): void;
}

export function startArtistMode(deps: ArtistModeDeps): ArtistMode {
  const { store } = deps;
  const container = document.createElement('section');
  container.className = 'artist-panel';
  container.setAttribute('aria-label', 'Artist mode');
  container.dataset.testid = 'artist-panel';
  const message = document.createElement('p');
  message.className = 'artist-message';
  message.dataset.testid = 'artist-message';
  message.setAttribute('role', 'status');
  const host = document.createElement('div');
  container.append(host, message);
  document.body.append(container);

  const pane = new Pane({ container: host, title: 'Artist mode' });
  adoptPaneStyles();
  const binder = new PaneBinder(store);
  let localStrikes = 0;
  const player = new LocalPlayer({ store, outputs: deps.router.outputs, onStrike: () => localStrikes++ });
  const report = (text: string, kind: 'ok' | 'error') => {
    message.textContent = text; // text only: file names and errors never become markup
    message.dataset.kind = kind;
  };

  addPresetFolder(pane, { store, storage: deps.storage, report });
  const play = pane.addFolder({ title: 'Play' });
  play.addBlade({ view: 'text', label: 'keys', parse: String, value: '1-9 or click a chime', disabled: true });
  if (deps.transport instanceof SimTransport) addSimFolder(play, store, deps.transport);
  addReplayFolder(pane, { store, switchSource: deps.switchSource, report });
  const stopVisual = addVisualFolder(pane, store, binder);
  const stopSound = addSoundFolder(pane, store, binder);
  const stopMonitor = addMonitorFolder(pane, { stats: deps.stats, audio: () => deps.engine()?.stats ?? null, localStrikes: () => localStrikes });
  const unsubscribe = store.subscribe((state, previous) => {
    if (state.visual !== previous.visual || state.sound !== previous.sound || state.focusStation !== previous.focusStation) binder.sync(state);
  });

  // For tests and the curious, beside window.aeolian.store/stats: the engine's readings and the player.
  if (window.aeolian) Object.assign(window.aeolian, { artist: { audio: () => deps.engine()?.stats ?? null, player } });

  return {
    player,
    dispose() {
      unsubscribe();
      stopVisual();
      stopSound();
      stopMonitor();
      player.dispose();
      pane.dispose();
      container.remove();
    },
  };
}
