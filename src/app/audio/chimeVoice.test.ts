// When a chime voice's oscillators stop, against a recording fake of the audio graph: partials and
// the FM modulator stop when their own decay is 60 dB down, the carrier when the voice has rung
// out; a swell keeps only the carrier ringing, a steal stops everything by the end of its fade.
// (That the trimmed voice sounds the same is checked on real Web Audio in e2e/audio.test.ts.)
import { describe, expect, it } from 'vitest';
import { ATTACK_S, STEAL_FADE_S, STOP_SLACK_S, strikeChime, type VoiceContext } from './chimeVoice';
import { defaultSoundSettings } from '../store/soundSettings';

class FakeParam {
  value = 0;
  setValueAtTime() { return this; }
  linearRampToValueAtTime() { return this; }
  setTargetAtTime() { return this; }
  cancelScheduledValues() { return this; }
}

class FakeNode {
  readonly gain = new FakeParam();
  readonly frequency = new FakeParam();
  connect<T>(target: T): T { return target; }
  disconnect() {}
}

class FakeOscillator extends FakeNode {
  startS: number | null = null;
  /** Every stop time asked for, in order (the last one applies). */
  stops: number[] = [];
  onended: (() => void) | null = null;
  start(whenS: number) { this.startS = whenS; }
  stop(whenS: number) { this.stops.push(whenS); }
  get stopS() { return this.stops.at(-1)!; }
}

function fakeContext() {
  const oscillators: FakeOscillator[] = [];
  const context = {
    sampleRate: 48_000,
    createOscillator: () => {
      const o = new FakeOscillator();
      oscillators.push(o);
      return o;
    },
    createGain: () => new FakeNode(),
  } as unknown as VoiceContext;
  return { context, oscillators };
}

const timbre = defaultSoundSettings.timbre; // decay 3 s
const tau = timbre.decayS / Math.log(1000);
const strike = (stopDecayed?: boolean) => {
  const { context, oscillators } = fakeContext();
  const handle = strikeChime(context, new FakeNode() as unknown as AudioNode, { hz: 440, level: 1, atS: 1, timbre, ...(stopDecayed === undefined ? {} : { stopDecayed }) }, () => undefined);
  const [carrier, modulator, ...partials] = oscillators as [FakeOscillator, FakeOscillator, ...FakeOscillator[]];
  return { handle, carrier, modulator, partials };
};

describe('a chime voice stops what can no longer be heard', () => {
  it('partials and the modulator stop at the end of their own decay; the carrier when the voice has rung out', () => {
    const { carrier, modulator, partials } = strike();
    expect(partials).toHaveLength(3);
    for (const o of [carrier, modulator, ...partials]) expect(o.startS).toBe(1);
    expect(carrier.stopS).toBeCloseTo(1 + ATTACK_S + timbre.decayS, 9);
    // Own decay 60 dB down (the modulator's depth 80 dB): 6.91 (9.21) time constants of its own gain.
    expect(modulator.stopS).toBeCloseTo(1 + (tau / 4) * Math.log(10_000), 9);
    partials.forEach((p, i) => expect(p.stopS).toBeCloseTo(1 + (tau / (1.5 + i)) * Math.log(1000), 9));
    // Each well before the voice ends: the higher, the sooner.
    const ends = partials.map((p) => p.stopS);
    expect(ends).toEqual([...ends].sort((a, b) => b - a));
    expect(ends[0]!).toBeLessThan(carrier.stopS - 0.9);
  });

  it('a swell that rings past the end extends only the carrier; partials and FM stay stopped', () => {
    const { handle, carrier, modulator, partials } = strike();
    const before = [modulator, ...partials].map((o) => o.stops.length);
    handle.swell(0.5, 1, 3.5, timbre.decayS);
    expect(carrier.stopS).toBeCloseTo(3.5 + 0.03 + timbre.decayS + STOP_SLACK_S, 9);
    expect([modulator, ...partials].map((o) => o.stops.length)).toEqual(before);
  });

  it('a stolen voice stops everything by the end of its fade, never later than each already stops', () => {
    const { handle, carrier, modulator, partials } = strike();
    const lastPartialEnd = partials.at(-1)!.stopS;
    handle.fadeOut(0.5, 1.5);
    const fadeEnd = 1.5 + STEAL_FADE_S + 0.005;
    expect(carrier.stopS).toBeCloseTo(fadeEnd, 9);
    expect(partials[0]!.stopS).toBeCloseTo(fadeEnd, 9);
    expect(partials.at(-1)!.stopS).toBeCloseTo(Math.min(fadeEnd, lastPartialEnd), 9);
    expect(modulator.stopS).toBeLessThanOrEqual(fadeEnd);
  });

  it('the untrimmed reference keeps every oscillator to the voice end, swells included', () => {
    const { handle, carrier, modulator, partials } = strike(false);
    for (const o of [modulator, ...partials]) expect(o.stopS).toBe(carrier.stopS);
    handle.swell(0.5, 1, 3.5, timbre.decayS);
    for (const o of [modulator, ...partials]) expect(o.stopS).toBe(carrier.stopS);
  });
});
