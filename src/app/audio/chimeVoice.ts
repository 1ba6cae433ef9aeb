// One struck chime: an FM pair (the bell's clang, brightest at the strike and mellowing as the
// modulation decays) plus a few sine partials at a bell's inharmonic ratios, each dying faster the
// higher it is. Built from plain Web Audio nodes per strike (cheap one-shot oscillators), owned by
// the returned handle and disconnected when the chime has rung out. Each partial and the FM
// modulator stop as soon as their own decay is 60 dB (FM: 80 dB) down, not with the voice: under
// the voice's own decay they are then far below hearing, and the audio thread stops computing them
// (about 45 % of a voice's oscillator time at the default 3 s decay).
import type { TimbreSettings } from './soundSettings';

/** Upper partials of a struck bar/bell, as ratios to the fundamental, with their base weights. */
export const BELL_PARTIALS = [
  { ratio: 2.76, weight: 0.5 },
  { ratio: 5.4, weight: 0.3 },
  { ratio: 8.93, weight: 0.2 },
] as const;
/** Strike attack, seconds: fast enough to sound struck, slow enough not to click. */
export const ATTACK_S = 0.002;
/**
 * A swelled voice's oscillators run this long past its decay (60 dB down: silent), so the swells
 * that follow within it need not reschedule the stop.
 */
export const STOP_SLACK_S = 0.25;
/** Fade of a stolen voice, seconds: short, but a ramp so stealing never clicks. */
export const STEAL_FADE_S = 0.012;
/** Rise of a swell when strikes merge into a ringing voice, seconds. */
export const SWELL_RISE_S = 0.03;
/** Peak gain of one full-velocity voice before the master chain: headroom for dozens of voices. */
export const VOICE_PEAK_GAIN = 0.25;
/** Partials above this share of the sample rate are left out (they would alias). */
const MAX_PARTIAL_NYQUIST_SHARE = 0.45;
/** 60 dB of decay is e^-6.91: setTargetAtTime's time constant for a decay time. */
const T60_TO_TAU = 1 / Math.log(1000);
/**
 * A partial is stopped once its own gain has decayed this many time constants (60 dB). The voice's
 * envelope is on top of that (a partial is then below -78 dB of full scale even right after a
 * swell to the highest level), and a swell never re-excites partials or FM.
 */
const PARTIAL_STOP_TAUS = Math.log(1000);
/**
 * The FM modulator is stopped once its depth has decayed this many time constants (80 dB): what
 * is left of the modulation then moves the carrier's phase by under 0.0003 rad (60 dB would leave
 * 0.0025, a waveform change only 52 dB under the carrier).
 */
const MODULATOR_STOP_TAUS = Math.log(10_000);

export type VoiceContext = Pick<BaseAudioContext, 'createOscillator' | 'createGain' | 'sampleRate'>;

export interface ChimeStrikeParams {
  hz: number;
  /** Voice level (1 = one full-velocity strike; merged strikes go higher). */
  level: number;
  atS: number;
  timbre: TimbreSettings;
  /** false: every oscillator runs to the voice's end (the untrimmed reference the trim is checked against). */
  stopDecayed?: boolean;
}

export interface ChimeVoiceHandle {
  /** Re-excite the ringing voice (merged strikes): from `fromLevel` up to `toLevel`, then decay again. */
  swell(fromLevel: number, toLevel: number, atS: number, decayS: number): void;
  /** Fade out quickly from `fromLevel` (voice stolen or engine reset). */
  fadeOut(fromLevel: number, atS: number): void;
  /** Stop now and disconnect everything (engine disposal). */
  dispose(): void;
}

export function gainOfLevel(level: number): number {
  return VOICE_PEAK_GAIN * level;
}

export function strikeChime(
  ctx: VoiceContext,
  destination: AudioNode,
  params: ChimeStrikeParams,
  onEnded: () => void,
): ChimeVoiceHandle {
  const { hz, level, atS, timbre } = params;
  const stopDecayed = params.stopDecayed !== false;
  const decayS = timbre.decayS;
  const tau = decayS * T60_TO_TAU;
  /** Every oscillator, with the time it stops at the latest (its own decay's end, or never). */
  const oscillators: { node: OscillatorNode; ownStopS: number }[] = [];
  const gains: GainNode[] = [];
  /** `ownEndS`: how long after the strike it can stop (its own decay's end). */
  const osc = (freq: number, ownEndS = Infinity): OscillatorNode => {
    const o = ctx.createOscillator();
    o.frequency.value = freq;
    oscillators.push({ node: o, ownStopS: stopDecayed ? atS + ownEndS : Infinity });
    return o;
  };
  const gain = (value: number): GainNode => {
    const g = ctx.createGain();
    g.gain.value = value;
    gains.push(g);
    return g;
  };

  const out = gain(0);
  out.connect(destination);
  const peak = gainOfLevel(level);
  out.gain.setValueAtTime(0, atS);
  out.gain.linearRampToValueAtTime(peak, atS + ATTACK_S);
  out.gain.setTargetAtTime(0, atS + ATTACK_S, tau);

  // FM pair: deviation = index * modulator frequency, harder strikes brighter, fading to a pure tone.
  const carrier = osc(hz);
  carrier.connect(out);
  const modHz = hz * timbre.harmonicity;
  const depthTau = tau * 0.25;
  const modulator = osc(modHz, depthTau * MODULATOR_STOP_TAUS);
  const depth = gain(0);
  const deviation = timbre.modulationIndex * modHz * Math.min(1, level);
  depth.gain.setValueAtTime(deviation, atS);
  depth.gain.setTargetAtTime(0, atS, depthTau);
  modulator.connect(depth).connect(carrier.frequency);

  const maxHz = ctx.sampleRate * MAX_PARTIAL_NYQUIST_SHARE;
  BELL_PARTIALS.forEach(({ ratio, weight }, i) => {
    if (hz * ratio > maxHz || timbre.brightness <= 0) return;
    const partialTau = tau / (1.5 + i);
    const partial = osc(hz * ratio, partialTau * PARTIAL_STOP_TAUS);
    const g = gain(0);
    g.gain.setValueAtTime(weight * timbre.brightness, atS);
    g.gain.setTargetAtTime(0, atS, partialTau);
    partial.connect(g).connect(out);
  });

  /** When the voice (its carrier) stops; partials and FM stop at their own end if that is earlier. */
  let stopS = atS + ATTACK_S + decayS;
  const stopEach = (whenS: number) => {
    for (const o of oscillators) o.node.stop(Math.min(whenS, o.ownStopS));
  };
  for (const o of oscillators) o.node.start(atS);
  stopEach(stopS);
  let ended = false;
  carrier.onended = () => {
    if (ended) return;
    ended = true;
    for (const node of [...oscillators.map((o) => o.node), ...gains]) node.disconnect();
    onEnded();
  };

  return {
    swell(fromLevel, toLevel, whenS, newDecayS) {
      const t = Math.max(whenS, atS + ATTACK_S);
      out.gain.cancelScheduledValues(t);
      out.gain.setValueAtTime(gainOfLevel(fromLevel), t);
      out.gain.linearRampToValueAtTime(gainOfLevel(toLevel), t + SWELL_RISE_S);
      out.gain.setTargetAtTime(0, t + SWELL_RISE_S, newDecayS * T60_TO_TAU);
      // Stopping is rescheduled only when the voice must ring past its stop, and then with slack:
      // under a dense passage a chime swells every few ms, and each reschedule is a call into the
      // audio graph. Only the carrier rings on: a swell does not re-excite partials or FM.
      const needed = t + SWELL_RISE_S + newDecayS;
      if (needed > stopS) {
        stopS = needed + STOP_SLACK_S;
        if (stopDecayed) carrier.stop(stopS);
        else stopEach(stopS);
      }
    },
    fadeOut(fromLevel, whenS) {
      const t = Math.max(whenS, atS);
      out.gain.cancelScheduledValues(t);
      out.gain.setValueAtTime(gainOfLevel(fromLevel), t);
      out.gain.linearRampToValueAtTime(0, t + STEAL_FADE_S);
      stopS = Math.min(stopS, t + STEAL_FADE_S + 0.005);
      stopEach(stopS);
    },
    dispose() {
      if (ended) return;
      ended = true;
      for (const { node } of oscillators) {
        try {
          node.stop();
        } catch {
          // Never started (context already closed): nothing to stop.
        }
      }
      for (const node of [...oscillators.map((o) => o.node), ...gains]) node.disconnect();
    },
  };
}
