// The contract between the page and the sound: what the page asks for, and what it can read back.
import type { TouchSettings } from '../store/touchSettings';
import type { SoundSettings } from './soundSettings';

export interface NoteRequest {
  station: string;
  chime: number;
  /** Strike velocity, 0..1. */
  v: number;
  /** when to sound, in performance.now() ms; <= now means immediately */
  at: number;
  /** A visitor's touch: voiced as the touch settings say, and never at the wind's expense. */
  touch?: boolean;
}

export interface AudioStats {
  /** Strikes that started a voice of their own. */
  notesPlayed: number;
  /** Strikes that could not be played at all (invalid, silent, too far ahead, context not running). */
  notesDropped: number;
  /** Strikes voiced by swelling a ringing voice (retrigger guard, or density beyond the polyphony cap). */
  notesMerged: number;
  voicesActive: number;
  /** Touches given a voice of their own or merged into one (what a test asserts "heard" on). */
  touchNotesPlayed: number;
  /** Touches not voiced because every voice was the wind's. */
  touchNotesDropped: number;
  lookAheadS: number;
  /** The most recent strike given a pitch (played or merged): what the artist panel and tests read. */
  lastNote?: { midi: number; station: string; chime: number; touch?: boolean } | null;
  /** Strike-to-speaker delay of the audio path (look-ahead + the context's base and output latency), s. */
  latencyS?: number;
}

export interface AudioEngine {
  play(note: NoteRequest): void;
  setStations(stations: readonly { id: string; lon: number; chimes: number }[]): void;
  setSound(settings: SoundSettings): void;
  setTouch(settings: TouchSettings): void;
  setMuted(muted: boolean): void;
  /** 0..1 */
  setVolume(volume: number): void;
  readonly stats: AudioStats;
  dispose(): void;
}
