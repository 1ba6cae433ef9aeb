// Artist mode (`?dev`, or any `npm run dev`): the tuning panel, local playing and presets. This
// module and tweakpane are one lazy chunk: ordinary visitors never download them.
import { Pane } from 'tweakpane';
import type { LivePage } from '../page/livePage';
import './artist.css';
import { LocalPlayer } from './localPlay';
import { addMonitorFolder } from './monitorFolder';
import { PaneBinder } from './paneBinder';
import { cspSafePaneDocument } from './paneStyle';
import { dockPanel } from './panelDock';
import { addPresetFolder } from './presetFolder';
import { addReplayFolder } from './replayFolder';
import { addSimFolder } from './simFolder';
import { addSoundFolder } from './soundFolder';
import { addTouchFolder } from './touchFolder';
import { addVisualFolder } from './visualFolder';

export interface ArtistModeDeps {
  /** The page core: its store, its current source and engine, and the actions (switch source, strike here). */
  page: LivePage;
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
}

export interface ArtistMode {
  player: LocalPlayer;
  dispose(): void;
}

export function startArtistMode(deps: ArtistModeDeps): ArtistMode {
  const { page } = deps;
  const { store } = page;
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
  const undock = dockPanel(container, deps.storage);

  const pane = new Pane({ container: host, title: 'Artist mode', document: cspSafePaneDocument() });
  const binder = new PaneBinder(store);
  let localStrikes = 0;
  const player = new LocalPlayer({ store, play: page.strikeHere, onStrike: () => localStrikes++ });
  const report = (text: string, kind: 'ok' | 'error') => {
    message.textContent = text; // text only: file names and errors never become markup
    message.dataset.kind = kind;
  };

  addPresetFolder(pane, { store, storage: deps.storage, report });
  const play = pane.addFolder({ title: 'Play' });
  play.addBlade({ view: 'text', label: 'keys', parse: String, value: '1-9 or click a chime', disabled: true });
  const stopSim = addSimFolder(play, page);
  addReplayFolder(pane, { store, switchSource: page.switchSource, report });
  const stopVisual = addVisualFolder(pane, store, binder);
  const stopSound = addSoundFolder(pane, store, binder);
  addTouchFolder(pane, store, binder);
  const audio = () => page.engine?.stats ?? null;
  const stopMonitor = addMonitorFolder(pane, { stats: page.stats, audio, localStrikes: () => localStrikes });
  const unsubscribe = store.subscribe((state, previous) => {
    if (state.visual !== previous.visual || state.sound !== previous.sound || state.touch !== previous.touch || state.focusStation !== previous.focusStation || state.view !== previous.view) binder.sync(state);
  });

  // For tests and the curious, beside window.aeolian.store/stats: the engine's readings and the player.
  if (window.aeolian) Object.assign(window.aeolian, { artist: { audio, player } });

  return {
    player,
    dispose() {
      unsubscribe();
      stopSim();
      stopVisual();
      stopSound();
      stopMonitor();
      player.dispose();
      pane.dispose();
      undock();
      container.remove();
    },
  };
}
