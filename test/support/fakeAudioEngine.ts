// For unit tests: an AudioEngine that records the notes it is asked to play and makes no sound.
import { vi } from 'vitest';
import type { AudioEngine, AudioStats, NoteRequest } from '../../src/app/audio/audioEngine';

/** The engine, the notes it was asked to play (in order), and `stats` as given (zeros otherwise). */
export function fakeAudioEngine(stats: Partial<AudioStats> = {}): { engine: AudioEngine; played: NoteRequest[] } {
  const played: NoteRequest[] = [];
  const engine: AudioEngine = {
    play: (note) => void played.push(note),
    setStations: vi.fn(),
    setSound: vi.fn(),
    setTouch: vi.fn(),
    setMuted: vi.fn(),
    setVolume: vi.fn(),
    stats: { notesPlayed: 0, notesDropped: 0, notesMerged: 0, voicesActive: 0, touchNotesPlayed: 0, touchNotesDropped: 0, lookAheadS: 0.03, ...stats },
    dispose: vi.fn(),
  };
  return { engine, played };
}
