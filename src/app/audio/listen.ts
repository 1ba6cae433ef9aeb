// "Listen": audio is unlocked synchronously inside the click (browsers allow sound only from a
// user gesture), then the engine is wired to the store (mute, volume, stations, sound settings)
// and to the strike stream. The page core owns the handler; components only call it.
import type { StrikeOutput, StrikeRouter } from '../rhythm/strikeRouter';
import type { LiveStore } from '../store/liveStore';
import type { SoundSettings } from '../store/soundSettings';
import type { AudioEngine } from './audioEngine';

export interface ListenDeps {
  store: LiveStore;
  router: Pick<StrikeRouter, 'outputs'>;
  unlockAudio: (settings: SoundSettings) => Promise<AudioEngine>;
  /** The engine is up and wired; `disconnect` unwires it from the store and the strikes (call before dispose). */
  onEngine?: (engine: AudioEngine, disconnect: () => void) => void;
  /** For benchmarks: ms from a strike's arrival to the time its note is scheduled to sound. */
  onNoteScheduled?: (latencyMs: number) => void;
}

/** Returns the click handler. It must stay synchronous up to unlockAudio(): no await before it. */
export function createListenHandler(deps: ListenDeps): () => void {
  return () => {
    const { store } = deps;
    const state = store.getState();
    if (state.audio === 'on' || state.audio === 'starting') return;
    const pending = deps.unlockAudio(state.sound);
    store.getState().setAudio('starting');
    pending.then(
      (engine) => {
        const disconnect = connectEngine(engine, deps);
        store.getState().setAudio('on');
        deps.onEngine?.(engine, disconnect);
      },
      (error: unknown) => store.getState().setAudio('failed', `Sound could not start: ${(error as Error).message}`),
    );
  };
}

function connectEngine(engine: AudioEngine, { store, router, onNoteScheduled }: ListenDeps): () => void {
  const stationsOf = (state: ReturnType<LiveStore['getState']>) => state.stations.map(({ id, lon, chimes }) => ({ id, lon, chimes }));
  const state = store.getState();
  engine.setStations(stationsOf(state));
  engine.setSound(state.sound);
  engine.setTouch(state.touch);
  engine.setMuted(state.muted);
  engine.setVolume(state.volume);
  const unsubscribe = store.subscribe((next, previous) => {
    if (next.stations !== previous.stations) engine.setStations(stationsOf(next));
    if (next.sound !== previous.sound) engine.setSound(next.sound);
    if (next.touch !== previous.touch) engine.setTouch(next.touch);
    if (next.muted !== previous.muted) engine.setMuted(next.muted);
    if (next.volume !== previous.volume) engine.setVolume(next.volume);
  });
  const output: StrikeOutput = onNoteScheduled
    ? {
        strike: (station, chime, v, at, arrivedAt, touch) => {
          engine.play({ station, chime, v, at, ...(touch ? { touch } : {}) });
          onNoteScheduled(Math.max(at, performance.now()) + engine.stats.lookAheadS * 1000 - arrivedAt);
        },
      }
    : { strike: (station, chime, v, at, _arrivedAt, touch) => engine.play({ station, chime, v, at, ...(touch ? { touch } : {}) }) };
  router.outputs.add(output);
  return () => {
    unsubscribe();
    router.outputs.delete(output);
  };
}
