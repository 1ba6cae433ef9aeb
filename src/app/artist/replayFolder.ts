// "Replay an hour": pick a day, a start, a duration, a speed and the stations, press Play, and the
// page switches in place to a replay of the relay's archive (tuning and sound carry over); "Back
// to live" switches back.
import type { FolderApi } from '@tweakpane/core';
import type { LiveStore } from '../store/liveStore';
import { describeReplay, HISTORY_REPLAY_MAX_SPEED, HISTORY_REPLAY_MIN_SPEED, liveAddress, replayAddress } from '../transport/replayRange';
import { dayOptions, localDate, pickRange, PICKER_DURATIONS_MIN, type ReplayChoice } from './replayPicker';

export interface ReplayFolderDeps {
  store: LiveStore;
  /** Replaces the page's source with the one this address names (LivePage.switchSource). */
  switchSource(address: URL): void;
  report(message: string, kind: 'ok' | 'error'): void;
}

export function addReplayFolder(pane: Pick<FolderApi, 'addFolder'>, { store, switchSource, report }: ReplayFolderDeps): void {
  const folder = pane.addFolder({ title: 'Replay an hour' });
  const now = Date.now();
  const current = store.getState().replay?.range;
  const choice: ReplayChoice = {
    day: localDate(current ? current.from : now - 86_400_000),
    start: current ? new Date(current.from).toTimeString().slice(0, 5) : '14:00',
    durationMin: current ? Math.round((current.to - current.from) / 60_000) : 60,
    speed: store.getState().replay?.speed ?? 10,
    stations: current?.stations ? 'in view' : 'all',
  };
  const days = dayOptions(now);
  if (!Object.values(days).includes(choice.day)) choice.day = days.yesterday!;
  if (!Object.values(PICKER_DURATIONS_MIN).includes(choice.durationMin)) choice.durationMin = 60;
  folder.addBinding(choice, 'day', { options: days });
  folder.addBinding(choice, 'start', { label: 'start (hh:mm)' });
  folder.addBinding(choice, 'durationMin', { label: 'duration', options: PICKER_DURATIONS_MIN });
  folder.addBinding(choice, 'speed', { label: 'speed (x)', min: HISTORY_REPLAY_MIN_SPEED, max: HISTORY_REPLAY_MAX_SPEED, step: 1 });
  folder.addBinding(choice, 'stations', { options: { all: 'all', 'in view': 'in view' } });
  folder.addButton({ title: 'Play' }).on('click', () => {
    const picked = pickRange(choice, store.getState().focusStation, Date.now());
    if (!picked.ok) return report(`replay not started: ${picked.error}`, 'error');
    switchSource(replayAddress(new URL(location.href), picked.range, picked.speed));
    report(`${describeReplay({ range: picked.range, url: null, speed: picked.speed }, Date.now())}: playing from the relay's archive`, 'ok');
  });
  folder.addButton({ title: 'Back to live' }).on('click', () => {
    switchSource(liveAddress(new URL(location.href)));
    report('back to live', 'ok');
  });
}
