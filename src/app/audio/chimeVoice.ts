// One struck chime: an FM pair (the bell's clang, brightest at the strike and mellowing as the
// modulation decays) plus a few sine partials at a bell's inharmonic ratios, each dying faster the
// higher it is. Built from plain Web Audio nodes per strike (cheap one-shot oscillators), owned by
// the returned handle and disconnected when the chime has rung out.
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

export type VoiceContext = Pick<BaseAudioContext, 'createOscillator' | 'createGain' | 'sampleRate'>;

export interface ChimeStrikeParams {
  hz: number;
  /** Voice level (1 = one full-velocity strike; merged strikes go higher). */
  level: number;
  atS: number;
  timbre: TimbreSettings;
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
  const decayS = timbre.decayS;
  const tau = decayS * T60_TO_TAU;
  const oscillators: OscillatorNode[] = [];
  const gains: GainNode[] = [];
  const osc = (freq: number): OscillatorNode => {
    const o = ctx.createOscillator();
    o.frequency.value = freq;
    oscillators.push(o);
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
  const modulator = osc(modHz);
  const depth = gain(0);
  const deviation = timbre.modulationIndex * modHz * Math.min(1, level);
  depth.gain.setValueAtTime(deviation, atS);
  depth.gain.setTargetAtTime(0, atS, tau * 0.25);
  modulator.connect(depth).connect(carrier.frequency);

  const maxHz = ctx.sampleRate * MAX_PARTIAL_NYQUIST_SHARE;
  BELL_PARTIALS.forEach(({ ratio, weight }, i) => {
    if (hz * ratio > maxHz || timbre.brightness <= 0) return;
    const partial = osc(hz * ratio);
    const g = gain(0);
    g.gain.setValueAtTime(weight * timbre.brightness, atS);
    g.gain.setTargetAtTime(0, atS, tau / (1.5 + i));
    partial.connect(g).connect(out);
  });

  let stopS = atS + ATTACK_S + decayS;
  const stopAll = (whenS: number) => {
    stopS = whenS;
    for (const o of oscillators) o.stop(whenS);
  };
  for (const o of oscillators) o.start(atS);
  stopAll(stopS);
  let ended = false;
  carrier.onended = () => {
    if (ended) return;
    ended = true;
    for (const node of [...oscillators, ...gains]) node.disconnect();
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
      // under a dense passage a chime swells every few ms, and each reschedule is one call per
      // oscillator into the audio graph.
      const needed = t + SWELL_RISE_S + newDecayS;
      if (needed > stopS) stopAll(needed + STOP_SLACK_S);
    },
    fadeOut(fromLevel, whenS) {
      const t = Math.max(whenS, atS);
      out.gain.cancelScheduledValues(t);
      out.gain.setValueAtTime(gainOfLevel(fromLevel), t);
      out.gain.linearRampToValueAtTime(0, t + STEAL_FADE_S);
      stopAll(Math.min(stopS, t + STEAL_FADE_S + 0.005));
    },
    dispose() {
      if (ended) return;
      ended = true;
      for (const o of oscillators) {
        try {
          o.stop();
        } catch {
          // Never started (context already closed): nothing to stop.
        }
      }
      for (const node of [...oscillators, ...gains]) node.disconnect();
    },
  };
}
