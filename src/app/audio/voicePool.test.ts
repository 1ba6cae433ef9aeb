import { describe, expect, it } from 'vitest';
import { levelAt, MIN_STEAL_AGE_MS, VoicePool, type StrikeSpec, type VoiceDecision } from './voicePool';

const options = { polyphony: 4, retriggerGuardMs: 60, decayS: 3 };
const strike = (over: Partial<StrikeSpec> & { atS: number }): StrikeSpec => ({
  station: 'a',
  pitch: 60,
  level: 1,
  ...over,
  key: `a:${over.key ?? '0'}`,
});

describe('VoicePool', () => {
  it('starts a voice per strike up to the cap, then steals the quietest voice that has been heard', () => {
    const pool = new VoicePool(options);
    const levels = [0.9, 0.2, 0.8, 0.7];
    levels.forEach((level, i) => expect(pool.strike(strike({ key: `${i}`, station: `s${i}`, level, atS: 0 })).kind).toBe('start'));
    const late = pool.strike(strike({ key: 'new', station: 'z', atS: 1 }));
    expect(late.kind).toBe('start');
    expect(late.kind === 'start' && late.stolen?.key).toBe('a:1');
    expect(pool.active).toHaveLength(4);
  });

  it('of voices struck equally hard, the oldest has decayed most and is stolen first', () => {
    const pool = new VoicePool(options);
    for (let i = 0; i < 4; i++) pool.strike(strike({ key: `${i}`, station: `s${i}`, atS: i * 0.5 }));
    const d = pool.strike(strike({ key: 'x', station: 'z', atS: 2.5 }));
    expect(d.kind === 'start' && d.stolen?.key).toBe('a:0');
  });

  it('retrigger guard: a chime struck again within the guard swells its voice instead of a new one', () => {
    const pool = new VoicePool(options);
    pool.strike(strike({ atS: 0, level: 0.5 }));
    const again = pool.strike(strike({ atS: 0.03, level: 0.5 }));
    expect(again).toMatchObject({ kind: 'swell', reason: 'retrigger' });
    expect(again.kind === 'swell' && again.voice.level).toBeGreaterThan(0.5);
    expect(pool.active).toHaveLength(1);
    expect(pool.strike(strike({ atS: 0.1 })).kind).toBe('start');
  });

  it('voices ring out and free their place after the decay time', () => {
    const pool = new VoicePool(options);
    pool.strike(strike({ atS: 0 }));
    expect(levelAt(pool.active[0]!, 1.5)).toBeCloseTo(10 ** -1.5);
    pool.prune(3.01);
    expect(pool.active).toHaveLength(0);
  });

  it('a lowered cap trims the quietest voices', () => {
    const pool = new VoicePool(options);
    [0.9, 0.1, 0.5, 0.3].forEach((level, i) => pool.strike(strike({ key: `${i}`, level, atS: 0 })));
    pool.configure({ ...options, polyphony: 2 });
    expect(pool.trim(0.2).map((v) => v.level)).toEqual([0.1, 0.3]);
    expect(pool.active).toHaveLength(2);
  });
});

describe('the wind wins the voice pool over visitors\' touches', () => {
  const full = (pool: VoicePool, touch: boolean, atS = 0) =>
    [0.9, 0.2, 0.8, 0.7].forEach((level, i) => pool.strike(strike({ key: `${touch ? 't' : 'w'}${i}`, station: `s${i}`, level, atS, touch })));

  it('a touch never steals a wind voice: with only wind ringing it is dropped', () => {
    const pool = new VoicePool(options);
    full(pool, false);
    expect(pool.strike(strike({ key: 'touch', station: 'z', level: 1, atS: 1, touch: true }))).toEqual({ kind: 'drop' });
    expect(pool.active.every((v) => !v.touch)).toBe(true);
    expect(pool.active).toHaveLength(4);
  });

  it('a touch never swells a wind voice of its station either', () => {
    const pool = new VoicePool(options);
    full(pool, false);
    expect(pool.strike(strike({ key: 'touch', station: 's1', level: 1, atS: 1, touch: true })).kind).toBe('drop');
  });

  it('a touch may take the quietest touch voice', () => {
    const pool = new VoicePool(options);
    full(pool, true);
    const d = pool.strike(strike({ key: 'late-touch', station: 'z', atS: 1, touch: true }));
    expect(d.kind === 'start' && d.stolen?.key).toBe('a:t1');
  });

  it('the wind takes a touch voice before a quieter wind voice, even a touch just started', () => {
    const pool = new VoicePool(options);
    [0.1, 0.2, 0.3].forEach((level, i) => pool.strike(strike({ key: `w${i}`, station: `s${i}`, level, atS: 0 })));
    pool.strike(strike({ key: 'touch', station: 't', level: 1, atS: 0.99, touch: true }));
    const d = pool.strike(strike({ key: 'wind', station: 'z', atS: 1 }));
    expect(d.kind === 'start' && d.stolen?.touch).toBe(true);
    expect(pool.active.filter((v) => v.touch)).toHaveLength(0);
  });

  it('a lowered cap trims touch voices first', () => {
    const pool = new VoicePool(options);
    pool.strike(strike({ key: 'w0', level: 0.1, atS: 0 }));
    pool.strike(strike({ key: 'w1', level: 0.2, atS: 0 }));
    pool.strike(strike({ key: 't0', level: 1, atS: 0, touch: true }));
    pool.configure({ ...options, polyphony: 2 });
    expect(pool.trim(0.2).map((v) => v.key)).toEqual(['a:t0']);
  });
});

/** 500 strikes/s for `seconds` over 10 stations x 6 chimes; returns counts and the loudness at the end. */
function flood(rate: number, seconds = 2) {
  const pool = new VoicePool({ polyphony: 32, retriggerGuardMs: 60, decayS: 3 });
  let seed = 7;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const counts = { start: 0, steal: 0, merged: 0, maxVoices: 0 };
  const n = Math.round(rate * seconds);
  for (let i = 0; i < n; i++) {
    const station = `s${Math.floor(random() * 10)}`;
    const chime = Math.floor(random() * 6);
    const d: VoiceDecision = pool.strike({ key: `${station}:${chime}`, station, pitch: 60 + chime, level: 0.5, atS: i / rate });
    if (d.kind === 'swell') counts.merged++;
    else if (d.kind === 'start' && d.stolen) counts.steal++;
    else counts.start++;
    counts.maxVoices = Math.max(counts.maxVoices, pool.active.length);
  }
  const energy = pool.active.reduce((sum, v) => sum + levelAt(v, seconds) ** 2, 0);
  return { ...counts, n, loudness: Math.sqrt(energy) };
}

describe('density beyond the polyphony cap', () => {
  it('500 strikes/s: voices stay bounded, every strike is voiced (started or merged), none lost', () => {
    const r = flood(500);
    expect(r.maxVoices).toBeLessThanOrEqual(32);
    expect(r.start + r.steal + r.merged).toBe(r.n);
    expect(r.merged).toBeGreaterThan(r.n / 2);
    // Steals never cut a chime before its attack was heard, so voice starts are rate-bounded.
    expect(r.steal).toBeLessThanOrEqual((32 * 2 * 1000) / MIN_STEAL_AGE_MS);
  });

  it('merged count rises and loudness grows with density', () => {
    const results = [20, 100, 500].map((rate) => flood(rate));
    expect(results[0]!.merged).toBeLessThan(results[1]!.merged);
    expect(results[1]!.merged).toBeLessThan(results[2]!.merged);
    expect(results[0]!.loudness).toBeLessThan(results[1]!.loudness);
    expect(results[1]!.loudness).toBeLessThan(results[2]!.loudness);
  });
});
