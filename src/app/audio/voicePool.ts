// Which chime voices sound: a polyphony cap with voice stealing, a per-chime retrigger guard, and
// density merging. Pure bookkeeping on audio-clock seconds; chimeEngine.ts turns the decisions
// into audio nodes. Beyond the cap a strike is never silently lost: it steals the quietest voice
// that has been heard long enough, or swells a ringing voice of the same chime or station (louder
// with every strike merged in). The wind always wins: when voices are short, a visitor's touch
// never takes a wind voice (it takes a touch voice or is dropped), and the wind takes touch voices first.

/** A voice younger than this is not stolen: its attack must be heard. */
export const MIN_STEAL_AGE_MS = 120;
/** Merged strikes add energy to a voice up to this level (1 = one full-velocity strike). */
export const MAX_SWELL_LEVEL = 2;

export interface Voice {
  readonly id: number;
  /** station + chime: the retrigger guard and swells work per key. */
  readonly key: string;
  readonly station: string;
  readonly pitch: number;
  /** A visitor's touch, not the wind: it yields its voice to the wind. */
  readonly touch: boolean;
  readonly startS: number;
  /** Level at `refS`; it then falls 60 dB over `decayS`. */
  level: number;
  refS: number;
  decayS: number;
  endS: number;
}

export interface StrikeSpec {
  key: string;
  station: string;
  pitch: number;
  /** Loudness of the strike, 0..1. */
  level: number;
  /** When it sounds, audio-clock seconds. */
  atS: number;
  /** A visitor's touch (default: the wind). */
  touch?: boolean;
}

export type VoiceDecision =
  | { kind: 'start'; voice: Voice; stolen: Voice | undefined }
  | { kind: 'swell'; voice: Voice; reason: 'retrigger' | 'density'; fromLevel: number }
  /** Only ever a touch: every voice is the wind's, which a touch never takes. */
  | { kind: 'drop' };

export interface VoicePoolOptions {
  polyphony: number;
  retriggerGuardMs: number;
  decayS: number;
}

export function levelAt(voice: Voice, tS: number): number {
  if (tS >= voice.endS) return 0;
  return voice.level * 10 ** ((-3 * Math.max(0, tS - voice.refS)) / voice.decayS);
}

export class VoicePool {
  private voices: Voice[] = [];
  private nextId = 1;

  constructor(private options: VoicePoolOptions) {}

  configure(options: VoicePoolOptions): void {
    this.options = options;
  }

  get active(): readonly Voice[] {
    return this.voices;
  }

  /** Forget voices that have rung out by `tS`. */
  prune(tS: number): void {
    if (this.voices.some((v) => v.endS <= tS)) this.voices = this.voices.filter((v) => v.endS > tS);
  }

  strike(spec: StrikeSpec): VoiceDecision {
    const t = spec.atS;
    this.prune(t);
    const touch = spec.touch === true;
    const sameKey = this.latestOf((v) => v.key === spec.key);
    if (sameKey && Math.abs(t - sameKey.startS) * 1000 < this.options.retriggerGuardMs) {
      return this.swell(sameKey, spec, 'retrigger');
    }
    if (this.voices.length < this.options.polyphony) return { kind: 'start', voice: this.add(spec), stolen: undefined };

    if (sameKey) return this.swell(sameKey, spec, 'density');
    if (touch) {
      // A touch may only take another touch's voice; with none old enough it is not voiced.
      const victim = this.quietest(t, (v) => v.touch);
      return victim && (t - victim.startS) * 1000 >= MIN_STEAL_AGE_MS ? this.steal(victim, spec) : { kind: 'drop' };
    }
    // The wind takes a touch's voice before any of its own, young or not.
    const touchVictim = this.quietest(t, (v) => v.touch);
    if (touchVictim) return this.steal(touchVictim, spec);
    const victim = this.quietest(t);
    if (victim && (t - victim.startS) * 1000 >= MIN_STEAL_AGE_MS) return this.steal(victim, spec);
    const sibling = this.nearestPitch(spec);
    if (sibling) return this.swell(sibling, spec, 'density');
    // Nothing of this station is ringing: steal even a young voice so every station stays audible.
    return this.steal(victim ?? this.voices[0]!, spec);
  }

  /** Voices to fade out now so at most `polyphony` remain (after the cap was lowered). */
  trim(tS: number): Voice[] {
    this.prune(tS);
    const excess: Voice[] = [];
    while (this.voices.length > this.options.polyphony) {
      const victim = this.quietest(tS, (v) => v.touch) ?? this.quietest(tS)!;
      this.remove(victim);
      excess.push(victim);
    }
    return excess;
  }

  clear(): void {
    this.voices = [];
  }

  private add(spec: StrikeSpec): Voice {
    const voice: Voice = {
      id: this.nextId++,
      key: spec.key,
      station: spec.station,
      pitch: spec.pitch,
      touch: spec.touch === true,
      startS: spec.atS,
      level: spec.level,
      refS: spec.atS,
      decayS: this.options.decayS,
      endS: spec.atS + this.options.decayS,
    };
    this.voices.push(voice);
    return voice;
  }

  private steal(victim: Voice, spec: StrikeSpec): VoiceDecision {
    this.remove(victim);
    return { kind: 'start', voice: this.add(spec), stolen: victim };
  }

  /** Energy adds: two equal strikes merged sound about 3 dB louder than one. */
  private swell(voice: Voice, spec: StrikeSpec, reason: 'retrigger' | 'density'): VoiceDecision {
    const t = Math.max(spec.atS, voice.refS);
    const fromLevel = levelAt(voice, t);
    voice.level = Math.min(MAX_SWELL_LEVEL, Math.sqrt(fromLevel * fromLevel + spec.level * spec.level));
    voice.refS = t;
    voice.decayS = this.options.decayS;
    voice.endS = t + this.options.decayS;
    return { kind: 'swell', voice, reason, fromLevel };
  }

  private remove(voice: Voice): void {
    this.voices = this.voices.filter((v) => v !== voice);
  }

  private latestOf(match: (v: Voice) => boolean): Voice | undefined {
    let best: Voice | undefined;
    for (const v of this.voices) if (match(v) && (!best || v.startS > best.startS)) best = v;
    return best;
  }

  /** Quietest now (of those `among` allows); among equals the oldest. */
  private quietest(tS: number, among: (v: Voice) => boolean = () => true): Voice | undefined {
    let best: Voice | undefined;
    let bestLevel = Infinity;
    for (const v of this.voices) {
      if (!among(v)) continue;
      const level = levelAt(v, tS);
      if (level < bestLevel || (level === bestLevel && best && v.startS < best.startS)) {
        best = v;
        bestLevel = level;
      }
    }
    return best;
  }

  private nearestPitch(spec: StrikeSpec): Voice | undefined {
    let best: Voice | undefined;
    for (const v of this.voices) {
      if (v.station !== spec.station || v.touch) continue;
      if (!best || Math.abs(v.pitch - spec.pitch) < Math.abs(best.pitch - spec.pitch)) best = v;
    }
    return best;
  }
}
