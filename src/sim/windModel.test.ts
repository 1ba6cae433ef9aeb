import { describe, expect, it } from 'vitest';
import { MIN_STRIKE_INTERVAL_MS, MAX_STATION_STRIKES_PER_S } from './chimes';
import { SIM_STATIONS } from './stations';
import { createWindField, type SimStrike, type WindControls } from './windModel';

const START_MS = 1_700_000_000_000;
const MINUTE_MS = 60_000;

function run(options: { seed: number; durationMs: number; controls?: Partial<WindControls>; chunkMs?: number; timeScale?: number }): SimStrike[] {
  const field = createWindField({ seed: options.seed, stations: SIM_STATIONS, startMs: START_MS, timeScale: options.timeScale });
  if (options.controls) field.setControls(options.controls);
  const chunkMs = options.chunkMs ?? 1_000;
  const strikes: SimStrike[] = [];
  for (let at = chunkMs; at < options.durationMs; at += chunkMs) strikes.push(...field.advance(START_MS + at));
  strikes.push(...field.advance(START_MS + options.durationMs));
  return strikes;
}

/** Strikes per second of one chime (or all chimes when `chime` is undefined) of one station. */
function countsPerSecond(strikes: SimStrike[], station: string, durationMs: number, chime?: number): number[] {
  const counts = new Array<number>(Math.ceil(durationMs / 1000)).fill(0);
  for (const strike of strikes) {
    if (strike.station !== station || (chime !== undefined && strike.chime !== chime)) continue;
    const second = Math.min(counts.length - 1, Math.floor((strike.t - START_MS) / 1000));
    counts[second] = (counts[second] ?? 0) + 1;
  }
  return counts;
}

function correlation(xs: number[], ys: number[]): number {
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  xs.forEach((x, i) => {
    const y = ys[i] ?? 0;
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  });
  return sxx === 0 || syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy);
}

// One long run shared by the tests that need hours of weather.
const TWO_HOURS_MS = 2 * 60 * MINUTE_MS;
const longRun = run({ seed: 11, durationMs: TWO_HOURS_MS });

describe('createWindField', () => {
  it('gives the same strikes for the same seed and different strikes for another seed', () => {
    const a = run({ seed: 1, durationMs: 2 * MINUTE_MS });
    const b = run({ seed: 1, durationMs: 2 * MINUTE_MS });
    const c = run({ seed: 2, durationMs: 2 * MINUTE_MS });
    expect(a.length).toBeGreaterThan(0);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('gives the same strikes however advance() is chunked', () => {
    const field = createWindField({ seed: 3, stations: SIM_STATIONS, startMs: START_MS });
    const oneShot = field.advance(START_MS + 2_000);
    const chunked = createWindField({ seed: 3, stations: SIM_STATIONS, startMs: START_MS });
    const parts = [...chunked.advance(START_MS + 1_000), ...chunked.advance(START_MS + 2_000)];
    expect(oneShot.length).toBeGreaterThan(0);
    expect(parts).toEqual(oneShot);

    const long = run({ seed: 4, durationMs: 5 * MINUTE_MS, chunkMs: 5 * MINUTE_MS });
    const ragged = run({ seed: 4, durationMs: 5 * MINUTE_MS, chunkMs: 17.3 });
    expect(ragged).toEqual(long);
  });

  it('returns only strikes in (previous advance, now], sorted by t, and nothing for a clock that goes back', () => {
    const field = createWindField({ seed: 5, stations: SIM_STATIONS, startMs: START_MS });
    let previous = START_MS;
    let total = 0;
    for (let at = START_MS + 250; at <= START_MS + 60_000; at += 250) {
      const strikes = field.advance(at);
      total += strikes.length;
      const outside = strikes.filter((strike) => !(strike.t > previous && strike.t <= at));
      const unsorted = strikes.filter((strike, i) => i > 0 && strike.t < (strikes[i - 1] as SimStrike).t);
      expect(outside).toEqual([]);
      expect(unsorted).toEqual([]);
      previous = at;
    }
    // A minute of this seed's wind strikes: the checks above ran on real strikes, not on none.
    expect(total).toBeGreaterThan(0);
    expect(field.advance(START_MS + 30_000)).toEqual([]);
  });

  it('never strikes one chime twice within the minimum interval, nor a station past its ceiling', () => {
    const stormy = run({ seed: 6, durationMs: 5 * MINUTE_MS, controls: { windScale: 3, gustiness: 1 } });
    expect(stormy.length).toBeGreaterThan(5_000);
    for (const strikes of [stormy, longRun]) {
      const lastByChime = new Map<string, number>();
      const recentByStation = new Map<string, number[]>();
      const tooSoon: SimStrike[] = [];
      let busiestSecond = 0;
      for (const strike of strikes) {
        const key = `${strike.station}/${strike.chime}`;
        const last = lastByChime.get(key);
        if (last !== undefined && strike.t - last < MIN_STRIKE_INTERVAL_MS - 1e-6) tooSoon.push(strike);
        lastByChime.set(key, strike.t);
        const recent = (recentByStation.get(strike.station) ?? []).filter((t) => t > strike.t - 1000);
        recent.push(strike.t);
        recentByStation.set(strike.station, recent);
        busiestSecond = Math.max(busiestSecond, recent.length);
      }
      expect(tooSoon).toEqual([]);
      expect(busiestSecond).toBeLessThanOrEqual(MAX_STATION_STRIKES_PER_S);
    }
  });

  it('keeps chime in range and v in [0, 1], louder in stronger wind', () => {
    const chimesOf = new Map(SIM_STATIONS.map((s) => [s.id, s.chimes]));
    const outOfRange = longRun.filter(
      (s) =>
        !Number.isInteger(s.chime) || s.chime < 0 || s.chime >= (chimesOf.get(s.station) ?? 0) || !(s.v >= 0 && s.v <= 1),
    );
    expect(longRun.length).toBeGreaterThan(0);
    expect(outOfRange).toEqual([]);
    const meanV = (strikes: SimStrike[]): number => strikes.reduce((sum, s) => sum + s.v, 0) / strikes.length;
    const gentle = run({ seed: 7, durationMs: 5 * MINUTE_MS, controls: { windScale: 0.6 } });
    const strong = run({ seed: 7, durationMs: 5 * MINUTE_MS, controls: { windScale: 2.5 } });
    expect(meanV(strong)).toBeGreaterThan(meanV(gentle) + 0.1);
  });

  it('strikes markedly more in more wind', () => {
    const light = run({ seed: 8, durationMs: 10 * MINUTE_MS, controls: { windScale: 0.3 } });
    const strong = run({ seed: 8, durationMs: 10 * MINUTE_MS, controls: { windScale: 2 } });
    expect(strong.length).toBeGreaterThan(4 * light.length);
  });

  it('keeps a total rate of a few to a few tens of strikes per second at default controls', () => {
    const perSecond = longRun.length / (TWO_HOURS_MS / 1000);
    expect(perSecond).toBeGreaterThan(5);
    expect(perSecond).toBeLessThan(35);
  });

  it('silences a disabled station and leaves the others unchanged', () => {
    const all = run({ seed: 9, durationMs: 2 * MINUTE_MS });
    const withoutWellington = run({ seed: 9, durationMs: 2 * MINUTE_MS, controls: { enabled: { wellington: false } } });
    expect(all.some((s) => s.station === 'wellington')).toBe(true);
    expect(withoutWellington.some((s) => s.station === 'wellington')).toBe(false);
    expect(withoutWellington).toEqual(all.filter((s) => s.station !== 'wellington'));
  });

  it('makes the chimes of one station ring together, unlike chimes of different stations', () => {
    const durationMs = 20 * MINUTE_MS;
    const strikes = run({ seed: 10, durationMs });
    const within: number[] = [];
    const across: number[] = [];
    SIM_STATIONS.forEach((station, i) => {
      const other = SIM_STATIONS[(i + 1) % SIM_STATIONS.length]?.id ?? '';
      const chime0 = countsPerSecond(strikes, station.id, durationMs, 0);
      within.push(correlation(chime0, countsPerSecond(strikes, station.id, durationMs, 1)));
      across.push(correlation(chime0, countsPerSecond(strikes, other, durationMs, 1)));
    });
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(within)).toBeGreaterThan(0.3);
    expect(mean(within)).toBeGreaterThan(mean(across) + 0.25);
  });

  it('has minutes of calm and bursts of gusts over two hours', () => {
    let calmMinutes = 0;
    let busiestSecond = 0;
    for (const station of SIM_STATIONS) {
      const counts = countsPerSecond(longRun, station.id, TWO_HOURS_MS);
      busiestSecond = Math.max(busiestSecond, ...counts);
      for (let minute = 0; minute < counts.length / 60; minute++) {
        const strikesInMinute = counts.slice(minute * 60, minute * 60 + 60).reduce((a, b) => a + b, 0);
        if (strikesInMinute <= 3) calmMinutes++;
      }
    }
    expect(calmMinutes).toBeGreaterThanOrEqual(10);
    expect(busiestSecond).toBeGreaterThanOrEqual(15);
  });

  it('reports wind per station, more with a higher wind scale, and 0 for an unknown station', () => {
    const field = createWindField({ seed: 12, stations: SIM_STATIONS, startMs: START_MS });
    field.advance(START_MS + 10_000);
    const calm = field.windAt('wellington');
    field.setControls({ windScale: 3 });
    field.advance(START_MS + 10_050);
    expect(calm).toBeGreaterThan(0);
    expect(field.windAt('wellington')).toBeGreaterThan(2 * calm);
    expect(field.windAt('atlantis')).toBe(0);
  });

  it('runs the weather faster with timeScale while strikes stay in wall time', () => {
    const fast = run({ seed: 13, durationMs: 6 * MINUTE_MS, timeScale: 10 });
    expect(fast.every((strike) => strike.t <= START_MS + 6 * MINUTE_MS)).toBe(true);
    const perStation = countsPerSecond(fast, 'wellington', 6 * MINUTE_MS);
    expect(Math.max(...perStation)).toBeLessThanOrEqual(MAX_STATION_STRIKES_PER_S);
    expect(fast.length).toBeGreaterThan(0);
  });

  it('clamps controls to their ranges and keeps unspecified ones', () => {
    const field = createWindField({ seed: 14, stations: SIM_STATIONS, startMs: START_MS });
    expect(field.controls).toEqual({ windScale: 1, gustiness: 0.5, enabled: {} });
    field.setControls({ windScale: 9 });
    field.setControls({ gustiness: -1, enabled: { tokyo: false } });
    expect(field.controls).toEqual({ windScale: 3, gustiness: 0, enabled: { tokyo: false } });
  });
});
