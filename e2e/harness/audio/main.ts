// Test and benchmark page for the real chime engine: renders it offline (Tone.Offline) and runs it
// live, exposing both on window.audioHarness for playwright to call.
import * as Tone from 'tone';
import { ChimeEngine } from '../../../src/app/audio/chimeEngine';
import { strikeChime } from '../../../src/app/audio/chimeVoice';
import { defaultSoundSettings, unlockAudio, type AudioEngine, type SoundSettings } from '../../../src/app/audio';
import { measureLateness } from './lateness';

export interface HarnessNote {
  station: string;
  chime: number;
  v: number;
  atS: number;
}

export interface RenderRequest {
  notes: HarnessNote[];
  stations: { id: string; lon: number; chimes: number }[];
  durationS: number;
  settings?: Partial<SoundSettings>;
}

export interface RenderResult {
  rms: number;
  peak: number;
  leftRms: number;
  rightRms: number;
  stats: AudioEngine['stats'];
}

function rms(data: Float32Array): number {
  let sum = 0;
  for (const x of data) sum += x * x;
  return Math.sqrt(sum / data.length);
}

async function render(request: RenderRequest): Promise<RenderResult> {
  let engine: ChimeEngine | undefined;
  const buffer = await Tone.Offline((context) => {
    engine = new ChimeEngine(context, { ...defaultSoundSettings, ...request.settings });
    engine.setStations(request.stations);
    for (const note of request.notes) engine.playAt(note, note.atS);
  }, request.durationS);
  const stats = { ...engine!.stats };
  engine!.dispose();
  const left = buffer.getChannelData(0);
  const right = buffer.getChannelData(1);
  let peak = 0;
  for (const ch of [left, right]) for (const x of ch) peak = Math.max(peak, Math.abs(x));
  return { rms: Math.hypot(rms(left), rms(right)) / Math.SQRT2, peak, leftRms: rms(left), rightRms: rms(right), stats };
}

export interface VoiceRequest {
  hz: number;
  level: number;
  /** Swell the ringing voice to this level at this time (s), as merged strikes do. */
  swell?: { atS: number; toLevel: number };
  stopDecayed: boolean;
  durationS: number;
}

/** One chime voice alone on a raw OfflineAudioContext: its samples, to compare voice schedules. */
async function renderVoice(request: VoiceRequest): Promise<number[]> {
  const sampleRate = 48_000;
  const context = new OfflineAudioContext(1, Math.ceil(request.durationS * sampleRate), sampleRate);
  const { timbre } = defaultSoundSettings;
  const voice = strikeChime(context, context.destination, { hz: request.hz, level: request.level, atS: 0.01, timbre, stopDecayed: request.stopDecayed }, () => undefined);
  if (request.swell) voice.swell(request.level / 4, request.swell.toLevel, request.swell.atS, timbre.decayS);
  const buffer = await context.startRendering();
  return Array.from(buffer.getChannelData(0));
}

/** The page's path: unlock (lazy Tone import), play, read stats. */
async function unlockAndPlay(noteCount: number): Promise<{ state: string; stats: AudioEngine['stats'] }> {
  const engine = await unlockAudio();
  engine.setStations([{ id: 'a', lon: 0, chimes: 6 }]);
  const now = performance.now();
  for (let i = 0; i < noteCount; i++) engine.play({ station: 'a', chime: i % 6, v: 0.8, at: now + i * 100 });
  const state = Tone.getContext().state;
  const stats = { ...engine.stats };
  engine.dispose();
  return { state, stats };
}

const harness = { render, renderVoice, unlockAndPlay, measureLateness };
declare global {
  interface Window {
    audioHarness: typeof harness;
  }
}
window.audioHarness = harness;
