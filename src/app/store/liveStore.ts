// The page's state, framework-free (zustand/vanilla): connection, stations, listeners, activity,
// audio and the visual/sound settings. Strikes are counted in a mutable tracker on the hot path and
// published as a snapshot at human rates, so React never renders per strike.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Station } from '../../protocol';
import { ActivityTracker, type StationActivity } from './activity';
import { defaultSoundSettings, type SoundSettings } from './soundSettings';
import type { SceneView } from '../visual/layout';
import type { ConnectionStatus, ReplayInfo } from './source';
import { defaultTouchSettings, type TouchSettings } from './touchSettings';
import { defaultVisualSettings, type VisualSettings } from './visualSettings';

export type AudioState = 'off' | 'starting' | 'on' | 'failed';

export interface LiveState {
  /** Which transport feeds the page ("relay", "simulation", "replay"). */
  source: string;
  /** What a replay plays (range or file, speed); null for every other source. */
  replay: ReplayInfo | null;
  connection: ConnectionStatus;
  /** Something the viewer should know about the stream (restart, gap, refused frames). */
  notice: string | null;
  refusedFrames: number;
  stations: Station[];
  viewers: number | null;
  /** Visitors who played a chime in the last minute (relay presence), or null before the relay says. */
  visitors: number | null;
  /** Per-station activity, refreshed by publishActivity(). */
  activity: Record<string, StationActivity>;
  audio: AudioState;
  audioError: string | null;
  muted: boolean;
  /** 0..1 */
  volume: number;
  /** Station shown close up (`?stations=<id>`), or null for the view below. */
  focusStation: string | null;
  /** What the stage shows when no station is close up: the world map, or every station's ring (`?view=ensemble`). */
  view: SceneView;
  visual: VisualSettings;
  sound: SoundSettings;
  /** How visitors' touches look and sound. */
  touch: TouchSettings;
}

/** What a source says when its stream starts (a transport's StreamStart carries this and more). */
export interface StreamGreeting {
  stations: Station[];
  viewers: number;
  /** Set when strikes may be missing (a new relay epoch, a resume gap); shown to the viewer. */
  notice?: string;
}

export interface LiveActions {
  streamStarted(start: StreamGreeting): void;
  setConnection(status: ConnectionStatus): void;
  upsertStation(station: Station): void;
  removeStation(id: string): void;
  setViewers(viewers: number): void;
  setVisitors(visitors: number): void;
  frameRefused(detail: string): void;
  /** Hot path: counts only, no state change, no subscriber runs. */
  recordStrike(station: string, chime: number, nowMs: number): void;
  publishActivity(nowMs: number): void;
  setAudio(audio: AudioState, error?: string): void;
  setMuted(muted: boolean): void;
  setVolume(volume: number): void;
  setFocusStation(id: string | null): void;
  /** Shows the world or the ensemble (and closes any close-up). */
  setView(view: SceneView): void;
  setVisual(patch: Partial<VisualSettings>): void;
  setSound(sound: SoundSettings): void;
  setTouch(patch: Partial<TouchSettings>): void;
  dismissNotice(): void;
}

export type LiveStore = StoreApi<LiveState & LiveActions>;

/** Where mute and volume are remembered between visits. */
export const LISTENING_STORAGE_KEY = 'aeolian.listening';

export interface LiveStoreOptions {
  source?: string;
  replay?: ReplayInfo | null;
  /** A notice to show from the start (e.g. an unknown `?source=`). */
  notice?: string | null;
  focusStation?: string | null;
  view?: SceneView;
  reducedMotion?: boolean;
  storage?: Pick<Storage, 'getItem' | 'setItem'> | null;
}

export function createLiveStore(options: LiveStoreOptions = {}): LiveStore {
  const tracker = new ActivityTracker();
  const storage = options.storage ?? null;
  const remembered = readListening(storage);

  const store = createStore<LiveState & LiveActions>()((set, get) => ({
    source: options.source ?? 'relay',
    replay: options.replay ?? null,
    connection: { state: 'connecting' },
    notice: options.notice ?? null,
    refusedFrames: 0,
    stations: [],
    viewers: null,
    visitors: null,
    activity: {},
    audio: 'off',
    audioError: null,
    muted: remembered.muted,
    volume: remembered.volume,
    focusStation: options.focusStation ?? null,
    view: options.view ?? 'world',
    visual: { ...defaultVisualSettings, reducedMotion: options.reducedMotion ?? false },
    sound: defaultSoundSettings,
    touch: defaultTouchSettings,

    streamStarted: (start) =>
      set((state) => {
        // `?stations=` naming no station of this source: the world map, and a word on why.
        const focusMissing = state.focusStation !== null && !start.stations.some((station) => station.id === state.focusStation);
        return {
          stations: start.stations,
          viewers: start.viewers,
          focusStation: focusMissing ? null : state.focusStation,
          notice: start.notice ?? (focusMissing ? [state.notice, unknownStationNotice(state.focusStation!)].filter(Boolean).join(' ') : state.notice),
        };
      }),
    setConnection: (connection) => set({ connection }),
    upsertStation: (station) =>
      set((state) => {
        const index = state.stations.findIndex((s) => s.id === station.id);
        const stations = [...state.stations];
        if (index >= 0) stations[index] = station;
        else stations.push(station);
        return { stations };
      }),
    removeStation: (id) =>
      set((state) => ({
        stations: state.stations.filter((s) => s.id !== id),
        focusStation: state.focusStation === id ? null : state.focusStation,
      })),
    setViewers: (viewers) => {
      if (get().viewers !== viewers) set({ viewers });
    },
    setVisitors: (visitors) => {
      if (get().visitors !== visitors) set({ visitors });
    },
    frameRefused: (detail) => set((state) => ({ refusedFrames: state.refusedFrames + 1, notice: `Ignored a bad message from the relay: ${detail.slice(0, 120)}` })),
    recordStrike: (station, chime, nowMs) => tracker.record(station, chime, nowMs),
    publishActivity: (nowMs) => set({ activity: tracker.snapshot(nowMs) }),
    setAudio: (audio, error) => set({ audio, audioError: error ?? null }),
    setMuted: (muted) => set({ muted }),
    setVolume: (volume) => set({ volume: Math.min(1, Math.max(0, Number.isFinite(volume) ? volume : 1)) }),
    setFocusStation: (focusStation) => set({ focusStation }),
    setView: (view) => set({ view, focusStation: null }),
    setVisual: (patch) => set((state) => ({ visual: { ...state.visual, ...patch } })),
    setSound: (sound) => set({ sound }),
    setTouch: (patch) => set((state) => ({ touch: { ...state.touch, ...patch } })),
    dismissNotice: () => set({ notice: null }),
  }));

  if (storage) {
    store.subscribe((state, previous) => {
      if (state.muted === previous.muted && state.volume === previous.volume) return;
      try {
        storage.setItem(LISTENING_STORAGE_KEY, JSON.stringify({ muted: state.muted, volume: state.volume }));
      } catch {
        // private mode or full storage: the setting lasts for this visit only
      }
    });
  }
  return store;
}

export function unknownStationNotice(id: string): string {
  return `No station "${id.slice(0, 40)}" here: showing the whole world. Pick a station from the list.`;
}

function readListening(storage: LiveStoreOptions['storage']): { muted: boolean; volume: number } {
  const fallback = { muted: false, volume: 0.8 };
  try {
    const value: unknown = JSON.parse(storage?.getItem(LISTENING_STORAGE_KEY) ?? 'null');
    if (typeof value !== 'object' || value === null) return fallback;
    const { muted, volume } = value as { muted?: unknown; volume?: unknown };
    return {
      muted: typeof muted === 'boolean' ? muted : fallback.muted,
      volume: typeof volume === 'number' && volume >= 0 && volume <= 1 ? volume : fallback.volume,
    };
  } catch {
    return fallback;
  }
}
