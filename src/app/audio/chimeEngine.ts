// The Tone.js sound graph behind AudioEngine: per-strike chime voices -> per-station panner (pan
// from longitude) -> dry + reverb -> master volume -> limiter -> soft clipper -> speakers. Voice
// choice (cap, stealing, merging) is voicePool.ts; this file only turns its decisions into nodes.
// Loaded lazily by index.ts, so Tone never weighs on first paint.
import * as Tone from 'tone';
import type { AudioEngine, AudioStats, NoteRequest } from './audioEngine';
import { AudioClock } from './audioClock';
import { ChimeReverb, PARAM_RAMP_S } from './chimeReverb';
import { strikeChime, type ChimeVoiceHandle } from './chimeVoice';
import { midiToHz, panOfLongitude, pitchOf } from './pitch';
import { normalizeSoundSettings, type SoundSettings } from './soundSettings';
import { levelAt, VoicePool } from './voicePool';
import { clampToLimit } from '../store/knobLimit';
import { defaultTouchSettings, TOUCH_LIMITS, type TouchSettings } from '../store/touchSettings';

/** Scheduling look-ahead, seconds (Tone's default is 0.1). Measured: see docs/benchmarks.md, "Audio". */
export const LOOK_AHEAD_S = 0.01;
/**
 * How often Tone's clock worker wakes the main thread, seconds. Tone derives it from the look-ahead
 * (0.005 s for ours: 200 wake-ups a second, each a main-thread task that delays strikes and frames
 * behind it), but only Tone's own scheduler (Transport, Clock, Draw) listens to it, and the engine
 * uses none: notes go straight onto the audio clock and voices end by `onended`.
 */
export const TONE_TICK_INTERVAL_S = 0.25;
/** How often a note refreshes the reported output latency, seconds. */
const LATENCY_REFRESH_S = 1;
/** Notes asked for further ahead than this are dropped: the page's jitter buffer never needs it. */
export const MAX_NOTE_DELAY_MS = 5_000;
/** Velocity 1 to velocity 0+ spans this loudness range, dB. */
export const VELOCITY_RANGE_DB = 30;
/** Limiter threshold, dBFS; the soft clipper after it bounds the last stray peak below 1.0. */
export const LIMITER_THRESHOLD_DB = -3;
/** Samples of the soft-clip curve. */
const CLIP_CURVE_LENGTH = 4096;

export function levelOfVelocity(v: number): number {
  return 10 ** (((Math.min(1, v) - 1) * VELOCITY_RANGE_DB) / 20);
}

/** Identity up to 0.8, then a tanh knee that never reaches 1. */
export function softClip(x: number): number {
  const knee = 0.8;
  const a = Math.abs(x);
  if (a <= knee) return x;
  return Math.sign(x) * (knee + 0.19 * Math.tanh((a - knee) / 0.19));
}

interface StationBus {
  index: number;
  panner: Tone.Panner;
}

export interface ChimeEngineOptions {
  /** Close the context on dispose (the live engine owns its context; offline renders do not). */
  ownsContext?: boolean;
  onDispose?: () => void;
}

export class ChimeEngine implements AudioEngine {
  readonly stats: AudioStats = { notesPlayed: 0, notesDropped: 0, notesMerged: 0, voicesActive: 0, touchNotesPlayed: 0, touchNotesDropped: 0, lookAheadS: 0, lastNote: null, latencyS: 0 };
  private settings: SoundSettings;
  private touch: TouchSettings = defaultTouchSettings;
  private readonly pool: VoicePool;
  private readonly clock = new AudioClock();
  private readonly voices = new Map<number, ChimeVoiceHandle>();
  private readonly stations = new Map<string, StationBus>();
  private readonly dry: Tone.Gain;
  private readonly reverb: ChimeReverb;
  private readonly master: Tone.Gain;
  private readonly limiter: Tone.Limiter;
  private readonly clipper: Tone.WaveShaper;
  private muted = false;
  /** Audio time the output latency was last read (see playAt). */
  private latencyReadAtS = -Infinity;
  private volume = 1;
  private disposed = false;

  constructor(
    private readonly context: Tone.BaseContext,
    settings: SoundSettings,
    private readonly options: ChimeEngineOptions = {},
  ) {
    this.settings = normalizeSoundSettings(settings);
    const s = this.settings;
    this.stats.lookAheadS = context.lookAhead;
    this.pool = new VoicePool({ polyphony: s.polyphony, retriggerGuardMs: s.retriggerGuardMs, decayS: s.timbre.decayS });
    this.master = new Tone.Gain({ context, gain: this.masterGain() });
    this.limiter = new Tone.Limiter({ context, threshold: LIMITER_THRESHOLD_DB });
    this.clipper = new Tone.WaveShaper({ context, mapping: softClip, length: CLIP_CURVE_LENGTH });
    this.master.chain(this.limiter, this.clipper, context.destination);
    this.dry = new Tone.Gain({ context, gain: 1 - s.reverb.mix });
    this.dry.connect(this.master);
    this.reverb = new ChimeReverb(context, s.reverb.sizeS, s.reverb.mix);
    this.reverb.output.connect(this.master);
  }

  play(note: NoteRequest): void {
    if (this.disposed || this.muted) return;
    const now = performance.now();
    if (this.context.state !== 'running' || !Number.isFinite(note.at) || note.at - now > MAX_NOTE_DELAY_MS) {
      this.stats.notesDropped++;
      return;
    }
    this.clock.sample(this.context.currentTime, now);
    this.playAt(note, this.clock.toAudioS(note.at, now, this.context.lookAhead));
  }

  /** Strike at an explicit audio-clock time (offline renders and the benchmark use this). */
  playAt(note: Omit<NoteRequest, 'at'>, atS: number): void {
    if (this.disposed) return;
    if (!(note.v > 0) || !Number.isInteger(note.chime) || note.chime < 0 || !Number.isFinite(atS)) {
      this.stats.notesDropped++;
      return;
    }
    const bus = this.busOf(note.station);
    const touch = note.touch === true;
    const pitch = pitchOf(this.settings, bus.index, note.chime) + (touch ? this.touch.pitchOffsetSemitones : 0);
    this.stats.lastNote = { midi: pitch, station: note.station, chime: note.chime, ...(touch ? { touch } : {}) };
    // The output latency is a read from the audio device: refreshed once a second, not per note.
    if (atS - this.latencyReadAtS >= LATENCY_REFRESH_S || atS < this.latencyReadAtS) {
      this.latencyReadAtS = atS;
      this.stats.latencyS = this.latencyS();
    }
    const decision = this.pool.strike({
      // A touch keeps its own key: it never swells a wind voice into sounding like the wind.
      key: `${touch ? 'touch\u0000' : ''}${note.station}\u0000${note.chime}`,
      station: note.station,
      pitch,
      level: levelOfVelocity(note.v) * (touch ? this.touch.level : 1),
      atS,
      touch,
    });
    if (decision.kind === 'drop') {
      this.stats.touchNotesDropped++;
      return;
    }
    if (touch) this.stats.touchNotesPlayed++;
    if (decision.kind === 'swell') {
      const { voice } = decision;
      this.voices.get(voice.id)?.swell(decision.fromLevel, voice.level, voice.refS, voice.decayS);
      this.stats.notesMerged++;
    } else {
      const { voice, stolen } = decision;
      if (stolen) this.voices.get(stolen.id)?.fadeOut(levelAt(stolen, atS), atS);
      const timbre = touch ? { ...this.settings.timbre, harmonicity: this.touch.harmonicity } : this.settings.timbre;
      const handle = strikeChime(
        this.context,
        bus.panner.input,
        { hz: midiToHz(pitch), level: voice.level, atS, timbre },
        () => {
          this.voices.delete(voice.id);
          this.stats.voicesActive = this.voices.size;
        },
      );
      this.voices.set(voice.id, handle);
      this.stats.notesPlayed++;
    }
    this.stats.voicesActive = this.voices.size;
  }

  setStations(stations: readonly { id: string; lon: number; chimes: number }[]): void {
    if (this.disposed) return;
    stations.forEach((station, index) => {
      const bus = this.busOf(station.id);
      bus.index = index;
      bus.panner.pan.setTargetAtTime(panOfLongitude(station.lon), this.context.currentTime, PARAM_RAMP_S);
    });
  }

  setSound(settings: SoundSettings): void {
    if (this.disposed) return;
    const s = (this.settings = normalizeSoundSettings(settings));
    const now = this.context.currentTime;
    this.pool.configure({ polyphony: s.polyphony, retriggerGuardMs: s.retriggerGuardMs, decayS: s.timbre.decayS });
    for (const victim of this.pool.trim(now)) this.voices.get(victim.id)?.fadeOut(levelAt(victim, now), now);
    this.dry.gain.setTargetAtTime(1 - s.reverb.mix, now, PARAM_RAMP_S);
    this.reverb.set(s.reverb.sizeS, s.reverb.mix);
    this.applyMasterGain();
  }

  /** How touches sound from their next note on (the ringing ones finish as they began). */
  setTouch(settings: TouchSettings): void {
    const d = defaultTouchSettings;
    this.touch = {
      ...settings,
      pitchOffsetSemitones: clampToLimit(settings.pitchOffsetSemitones, TOUCH_LIMITS.pitchOffsetSemitones, d.pitchOffsetSemitones),
      harmonicity: clampToLimit(settings.harmonicity, TOUCH_LIMITS.harmonicity, d.harmonicity),
      level: clampToLimit(settings.level, TOUCH_LIMITS.level, d.level),
    };
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    this.applyMasterGain();
  }

  setVolume(volume: number): void {
    this.volume = Number.isFinite(volume) ? Math.min(1, Math.max(0, volume)) : this.volume;
    this.applyMasterGain();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const voice of this.voices.values()) voice.dispose();
    this.voices.clear();
    this.pool.clear();
    for (const bus of this.stations.values()) bus.panner.dispose();
    this.stations.clear();
    this.dry.dispose();
    this.reverb.dispose();
    this.master.dispose();
    this.limiter.dispose();
    this.clipper.dispose();
    this.stats.voicesActive = 0;
    if (this.options.ownsContext) void this.context.dispose();
    this.options.onDispose?.();
  }

  private latencyS(): number {
    const raw = this.context.rawContext as Partial<AudioContext>;
    return this.context.lookAhead + (raw.baseLatency ?? 0) + (raw.outputLatency ?? 0);
  }

  private busOf(station: string): StationBus {
    let bus = this.stations.get(station);
    if (!bus) {
      // A station the page has not announced yet still sounds: centred, next root in line.
      const panner = new Tone.Panner({ context: this.context, pan: 0 });
      panner.fan(this.dry, this.reverb.input);
      bus = { index: this.stations.size, panner };
      this.stations.set(station, bus);
    }
    return bus;
  }

  /** Perceived loudness follows the square of the slider. */
  private masterGain(): number {
    return this.muted ? 0 : this.settings.masterVolume * this.volume * this.volume;
  }

  private applyMasterGain(): void {
    if (this.disposed) return;
    this.master.gain.setTargetAtTime(this.masterGain(), this.context.currentTime, PARAM_RAMP_S);
  }
}

/** The live engine on a context created (and resumed) inside the user's gesture. */
export async function createLiveEngine(raw: AudioContext, settings: SoundSettings, onDispose: () => void): Promise<ChimeEngine> {
  const context = new Tone.Context({ context: raw, latencyHint: 'interactive', lookAhead: LOOK_AHEAD_S, updateInterval: TONE_TICK_INTERVAL_S });
  Tone.setContext(context);
  await Tone.start();
  return new ChimeEngine(context, settings, { ownsContext: true, onDispose });
}
