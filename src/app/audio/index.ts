// The page's door to sound. Pure parts (and the Listen handler's wiring) load with the page; Tone.js
// and the audio graph load only when the listener taps "Listen" (unlockAudio), so first paint never
// waits for them.
import type { AudioEngine } from './audioEngine';
import { defaultSoundSettings, type SoundSettings } from './soundSettings';

export type { AudioEngine, AudioStats, NoteRequest } from './audioEngine';
export { createListenHandler, type ListenDeps } from './listen';
export { pitchOf, panOfLongitude } from './pitch';
export { defaultSoundSettings, normalizeSoundSettings, SOUND_LIMITS, type SoundSettings, type ScaleName } from './soundSettings';

let unlocking: Promise<AudioEngine> | undefined;

/**
 * Call synchronously inside the user gesture (click handler). Creates and resumes the AudioContext
 * right there (Safari allows it nowhere else), then lazily imports Tone.js and builds the engine.
 * Repeated calls share one engine until it is disposed.
 */
export function unlockAudio(settings: SoundSettings = defaultSoundSettings): Promise<AudioEngine> {
  if (unlocking) return unlocking;
  const raw = new AudioContext({ latencyHint: 'interactive' });
  void raw.resume();
  const pending = import('./chimeEngine').then(({ createLiveEngine }) =>
    createLiveEngine(raw, settings, () => {
      if (unlocking === pending) unlocking = undefined;
    }),
  );
  unlocking = pending;
  pending.catch(() => {
    if (unlocking === pending) unlocking = undefined;
    void raw.close();
  });
  return pending;
}
