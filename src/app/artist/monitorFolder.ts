// What the artist watches while tuning: frame rate, strikes per second, circles on screen, voices
// sounding and dropped, the audio path's latency and the last note's pitch.
import type { FolderApi } from '@tweakpane/core';
import type { AudioStats } from '../audio/audioEngine';
import type { PageStats } from '../page/stats';
import { noteName } from './soundFolder';

/** How often the monitor readings refresh. */
export const MONITOR_INTERVAL_MS = 250;

export interface MonitorDeps {
  stats: PageStats;
  audio(): AudioStats | null;
  localStrikes(): number;
}

export function addMonitorFolder(pane: Pick<FolderApi, 'addFolder'>, deps: MonitorDeps): () => void {
  const folder = pane.addFolder({ title: 'Monitor' });
  const readings = { fps: 0, strikesPerS: 0, circles: 0, voices: 0, played: 0, dropped: 0, latencyMs: 0, lastNote: '—' };
  const graph = (max: number) => ({ readonly: true, view: 'graph', min: 0, max, interval: MONITOR_INTERVAL_MS }) as const;
  const number = { readonly: true, interval: MONITOR_INTERVAL_MS, format: (v: number) => v.toFixed(0) } as const;
  folder.addBinding(readings, 'fps', graph(120));
  folder.addBinding(readings, 'fps', { ...number, label: 'fps now' });
  folder.addBinding(readings, 'strikesPerS', graph(100)).label = 'strikes/s';
  folder.addBinding(readings, 'strikesPerS', { ...number, label: 'strikes/s now', format: (v: number) => v.toFixed(1) });
  folder.addBinding(readings, 'circles', { ...number, label: 'active circles' });
  folder.addBinding(readings, 'voices', { ...number, label: 'voices playing' });
  folder.addBinding(readings, 'played', { ...number, label: 'notes played' });
  folder.addBinding(readings, 'dropped', { ...number, label: 'notes dropped' });
  folder.addBinding(readings, 'latencyMs', { ...number, label: 'audio latency (ms)', format: (v: number) => v.toFixed(1) });
  folder.addBinding(readings, 'lastNote', { readonly: true, interval: MONITOR_INTERVAL_MS, label: 'last note' });

  let frames = 0;
  let frame = requestAnimationFrame(function count() {
    frames++;
    frame = requestAnimationFrame(count);
  });
  let last = { at: performance.now(), strikes: deps.stats.strikesReceived + deps.localStrikes() };
  const timer = setInterval(() => {
    const now = performance.now();
    const strikes = deps.stats.strikesReceived + deps.localStrikes();
    const seconds = Math.max(0.001, (now - last.at) / 1000);
    const audio = deps.audio();
    readings.fps = frames / seconds;
    readings.strikesPerS = (strikes - last.strikes) / seconds;
    readings.circles = deps.stats.circlesActive;
    readings.voices = audio?.voicesActive ?? 0;
    readings.played = audio?.notesPlayed ?? 0;
    readings.dropped = audio?.notesDropped ?? 0;
    readings.latencyMs = (audio?.latencyS ?? 0) * 1000;
    const note = audio?.lastNote;
    readings.lastNote = note ? `${note.midi} ${noteName(note.midi)} (${note.station} #${note.chime + 1})` : audio ? '—' : 'sound off (press Listen)';
    frames = 0;
    last = { at: now, strikes };
  }, MONITOR_INTERVAL_MS);
  return () => {
    cancelAnimationFrame(frame);
    clearInterval(timer);
  };
}
