// The page's counters: written on the hot path by the router and the canvas, read live from the
// audio engine and the transport. The debug surface (debugSurface.ts) shows them as
// `window.aeolian.stats`; `?bench=1` adds the raw samples bench/page reads.
import type { TransportHealth } from '../transport/types';

export interface PageStats {
  strikesReceived: number;
  /** Strikes older than a circle's lifetime on arrival, or replayed after a resume: counted, neither drawn nor played. */
  strikesStale: number;
  /** Visitors' touches received from the relay (this page's own included). */
  touchesReceived: number;
  /** Touches of this page's visitor shown at once, before the relay confirmed them. */
  touchesEchoed: number;
  /** Touch circles drawn (a subset of circlesDrawn). */
  touchCirclesDrawn: number;
  circlesDrawn: number;
  /** Strikes that swelled their chime's circle (struck again within CIRCLE_MERGE_MS) instead of starting one. */
  circlesMerged: number;
  /** Circles alive on the canvas at the last frame. */
  circlesActive: number;
  notesPlayed: number;
  notesDropped: number;
  /** Strikes voiced by swelling a ringing voice instead of a voice of their own (dense passages). */
  notesMerged: number;
  /** Touches voiced (own or merged) and touches not voiced because every voice was the wind's. */
  touchNotesPlayed: number;
  touchNotesDropped: number;
  /** Chime voices sounding now (0 before Listen); should fall to 0 soon after strikes stop. */
  voicesActive: number;
  reconnects: number;
  lastSeq: number | null;
  /** Seqs the relay numbered but this page never received. */
  seqMissing: number;
  refusedFrames: number;
}

export interface StatsSources {
  audio(): { notesPlayed: number; notesDropped: number; notesMerged: number; voicesActive: number; touchNotesPlayed: number; touchNotesDropped: number } | null;
  /** The current source's link health. */
  link(): TransportHealth;
}

/** Counters written on the hot path plus live readings from the audio engine and the transport. */
export function createStats(sources: StatsSources): PageStats {
  const counters = { strikesReceived: 0, strikesStale: 0, touchesReceived: 0, touchesEchoed: 0, touchCirclesDrawn: 0, circlesDrawn: 0, circlesMerged: 0, circlesActive: 0, lastSeq: null as number | null, refusedFrames: 0 };
  return Object.defineProperties(counters, {
    notesPlayed: { get: () => sources.audio()?.notesPlayed ?? 0, enumerable: true },
    notesDropped: { get: () => sources.audio()?.notesDropped ?? 0, enumerable: true },
    notesMerged: { get: () => sources.audio()?.notesMerged ?? 0, enumerable: true },
    voicesActive: { get: () => sources.audio()?.voicesActive ?? 0, enumerable: true },
    touchNotesPlayed: { get: () => sources.audio()?.touchNotesPlayed ?? 0, enumerable: true },
    touchNotesDropped: { get: () => sources.audio()?.touchNotesDropped ?? 0, enumerable: true },
    reconnects: { get: () => sources.link().reconnects, enumerable: true },
    seqMissing: { get: () => sources.link().seqMissing, enumerable: true },
  }) as PageStats;
}

/** Raw samples for bench/page (`?bench=1`); the benchmark reads and clears them. */
export interface BenchSamples {
  drawLatencyMs: number[];
  /** Frames begun between a strike's arrival and its circle's first drawing (1 = the very next frame). */
  drawLatencyFrames: number[];
  /** The same, for visitors' touches only. */
  touchDrawLatencyFrames: number[];
  audioLatencyMs: number[];
  frameTimes: number[];
  drawWorkMs: number[];
}

export function createBenchSamples(): BenchSamples {
  return { drawLatencyMs: [], drawLatencyFrames: [], touchDrawLatencyFrames: [], audioLatencyMs: [], frameTimes: [], drawWorkMs: [] };
}
