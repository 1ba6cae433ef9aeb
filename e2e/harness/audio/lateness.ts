// Does a note scheduled `lookAheadS` ahead start on time? Probe onsets (a short DC pulse per probe,
// scheduled exactly like engine notes) are timestamped to the sample by an AudioWorklet, while the
// real chime engine plays `notesPerS` and the main thread is kept busy like a drawing page.
import * as Tone from 'tone';
import { AudioClock } from '../../../src/app/audio/audioClock';
import { ChimeEngine } from '../../../src/app/audio/chimeEngine';
import { defaultSoundSettings } from '../../../src/app/audio';

export interface LatenessRequest {
  lookAheadS: number;
  notesPerS: number;
  durationS: number;
  /** Main-thread work per animation frame, ms (the page's drawing). */
  busyMsPerFrame: number;
  probesPerS: number;
}

export interface LatenessResult {
  lookAheadS: number;
  notesPerS: number;
  probes: number;
  /** Probes that started later than scheduled (more than 2 samples). */
  late: number;
  /** Late probes whose whole pulse fell in the past (late by more than PULSE_S). */
  missed: number;
  maxLateMs: number;
  notesPlayed: number;
  notesMerged: number;
  maxVoices: number;
  baseLatencyS: number;
}

// Each pulse carries its probe's id as its level ((id + 1) / PROBE_LEVEL_STEPS), so a probe that
// starts late, or never, cannot shift the matching of the others.
const PROBE_LEVEL_STEPS = 4096;
const PULSE_S = 0.01;
const PROBE_SOURCE = `
class OnsetProbe extends AudioWorkletProcessor {
  constructor() { super(); this.level = 0; }
  process(inputs) {
    const ch = inputs[0] && inputs[0][0];
    if (!ch) { this.level = 0; return true; }
    for (let i = 0; i < ch.length; i++) {
      if (ch[i] > 0 && ch[i] !== this.level) this.port.postMessage([currentFrame + i, ch[i]]);
      this.level = ch[i];
    }
    return true;
  }
}
registerProcessor('onset-probe', OnsetProbe);`;

export async function measureLateness(request: LatenessRequest): Promise<LatenessResult> {
  const raw = new AudioContext({ latencyHint: 'interactive' });
  await raw.resume();
  const context = new Tone.Context({ context: raw, latencyHint: 'interactive', lookAhead: request.lookAheadS });
  const engine = new ChimeEngine(context, defaultSoundSettings);
  engine.setStations(Array.from({ length: 10 }, (_, i) => ({ id: `s${i}`, lon: -180 + i * 36, chimes: 6 })));
  const url = URL.createObjectURL(new Blob([PROBE_SOURCE], { type: 'text/javascript' }));
  await raw.audioWorklet.addModule(url);
  const probe = new AudioWorkletNode(raw, 'onset-probe');
  const sink = raw.createGain();
  sink.gain.value = 0;
  probe.connect(sink).connect(raw.destination);
  const onsets = new Map<number, number>();
  probe.port.onmessage = (event: MessageEvent<[number, number]>) => {
    const [frame, level] = event.data;
    const id = Math.round(level * PROBE_LEVEL_STEPS) - 1;
    if (!onsets.has(id)) onsets.set(id, frame);
  };

  const clock = new AudioClock();
  const targets: number[] = [];
  let maxVoices = 0;
  let noteDebt = 0;
  let probeDebt = 0;
  let lastProbeAtS = -Infinity;
  let last = performance.now();
  const end = last + request.durationS * 1000;
  let frame = 0;
  const onFrame = () => {
    const busyUntil = performance.now() + request.busyMsPerFrame;
    while (performance.now() < busyUntil) {
      /* the page drawing */
    }
    if (performance.now() < end) frame = requestAnimationFrame(onFrame);
  };
  frame = requestAnimationFrame(onFrame);
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const now = performance.now();
      const dt = (now - last) / 1000;
      last = now;
      noteDebt += dt * request.notesPerS;
      for (; noteDebt >= 1; noteDebt--) {
        const s = Math.floor(Math.random() * 10);
        engine.play({ station: `s${s}`, chime: Math.floor(Math.random() * 6), v: 0.3 + Math.random() * 0.7, at: now });
      }
      maxVoices = Math.max(maxVoices, engine.stats.voicesActive);
      // At most one probe per tick, never overlapping the previous pulse: summed pulses would garble ids.
      probeDebt = Math.min(1, probeDebt + dt * request.probesPerS);
      clock.sample(raw.currentTime, now);
      const atS = clock.toAudioS(now, now, request.lookAheadS);
      if (probeDebt >= 1 && atS > lastProbeAtS + 2 * PULSE_S) {
        probeDebt = 0;
        lastProbeAtS = atS;
        const pulse = raw.createConstantSource();
        pulse.offset.value = ((targets.length % (PROBE_LEVEL_STEPS - 1)) + 1) / PROBE_LEVEL_STEPS;
        pulse.connect(probe);
        pulse.start(atS);
        pulse.stop(atS + PULSE_S);
        pulse.onended = () => pulse.disconnect();
        targets.push(Math.round(atS * raw.sampleRate));
      }
      if (now >= end) {
        clearInterval(tick);
        resolve();
      }
    }, 4);
  });
  cancelAnimationFrame(frame);
  // Let the audio clock pass the last probe (it may lag a loaded machine), then let its messages arrive.
  const lastTargetS = (targets.at(-1) ?? 0) / raw.sampleRate;
  const waitUntil = performance.now() + 3_000;
  while (raw.currentTime < lastTargetS + 0.05 && performance.now() < waitUntil) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 100));
  // A probe whose whole pulse fell in the past never sounds: late by more than its length.
  const lateFrames = targets.map((target, id) => (onsets.get(id % (PROBE_LEVEL_STEPS - 1)) ?? Infinity) - target);
  const late = lateFrames.filter((f) => f > 2).length;
  const result: LatenessResult = {
    lookAheadS: request.lookAheadS,
    notesPerS: request.notesPerS,
    probes: targets.length,
    late,
    maxLateMs: (Math.max(0, ...lateFrames.filter(Number.isFinite)) / raw.sampleRate) * 1000,
    missed: lateFrames.filter((f) => !Number.isFinite(f)).length,
    notesPlayed: engine.stats.notesPlayed,
    notesMerged: engine.stats.notesMerged,
    maxVoices,
    baseLatencyS: raw.baseLatency,
  };
  engine.dispose();
  probe.disconnect();
  URL.revokeObjectURL(url);
  await context.dispose();
  return result;
}
