// For screen readers: a short summary of the activity every ~10 s, never per strike.
import { useEffect, useState } from 'react';
import { useLiveStore } from '../store/useLive';
import type { LiveState } from '../store/liveStore';
import type { ConnectionStatus } from '../store/source';
import { describeReplay } from '../transport/replayRange';

export const SUMMARY_INTERVAL_MS = 10_000;

export function summarize(state: Pick<LiveState, 'stations' | 'activity' | 'connection'> & Partial<Pick<LiveState, 'replay'>>): string {
  // A replay is never summarized as if it were happening now.
  if (state.replay) return `${describeReplay(state.replay, Date.now())}, not live. ${summarize({ ...state, replay: null })}`;
  if (state.connection.state !== 'live') return describeLink(state.connection);
  const online = state.stations.filter((s) => s.online);
  let busiest: { name: string; rate: number } | null = null;
  let total = 0;
  for (const station of online) {
    const rate = state.activity[station.id]?.ratePerS ?? 0;
    total += rate;
    if (!busiest || rate > busiest.rate) busiest = { name: station.name, rate };
  }
  const strikes = Math.round(total * 10);
  const stations = `${online.length} ${online.length === 1 ? 'station' : 'stations'} online`;
  if (strikes === 0) return `${stations}, all quiet.`;
  return `${stations}, ${strikes} ${strikes === 1 ? 'strike' : 'strikes'} in the last 10 seconds; busiest ${busiest?.name ?? ''}.`;
}

/** The link when it is not live, in the status pill's terms (an unreachable relay is not "reconnecting"). */
function describeLink(connection: Exclude<ConnectionStatus, { state: 'live' }>): string {
  switch (connection.state) {
    case 'connecting':
      return 'Connecting.';
    case 'reconnecting':
      return connection.unreachable ? `Relay unreachable: ${connection.reason}. Retrying by itself.` : 'Connection lost, reconnecting by itself.';
    case 'offline':
      return `Offline: ${connection.reason}`;
  }
}

export function LiveSummary() {
  const store = useLiveStore();
  const [text, setText] = useState('');
  useEffect(() => {
    const timer = setInterval(() => setText(summarize(store.getState())), SUMMARY_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [store]);
  return (
    <div className="visually-hidden" aria-live="polite" data-testid="live-summary">
      {text}
    </div>
  );
}
