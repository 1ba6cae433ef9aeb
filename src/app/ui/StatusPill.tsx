// Connection state in one word and a color, with the next reconnect countdown and a "Retry now"
// that skips the wait. A replay says so first, with its range and speed, in its own colour: never
// mistaken for live.
import { useEffect, useState } from 'react';
import { useLivePage } from '../page/LivePageProvider';
import type { ConnectionStatus } from '../store/source';
import { useLive } from '../store/useLive';
import { describeReplay } from '../transport/replayRange';

export function StatusPill() {
  const connection = useLive((s) => s.connection);
  const source = useLive((s) => s.source);
  const replay = useLive((s) => s.replay);
  const { retryNow } = useLivePage();
  const [, tick] = useState(0);
  useEffect(() => {
    if (connection.state !== 'reconnecting') return;
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [connection]);
  let text = describeConnection(connection, source, Date.now());
  if (replay) text = `${describeReplay(replay, Date.now())}${connection.state === 'live' ? '' : ` · ${text}`}`;
  const unreachable = connection.state === 'reconnecting' && connection.unreachable === true;
  return (
    <>
      <span
        className="pill"
        data-state={connection.state}
        data-unreachable={unreachable || undefined}
        data-source={replay ? 'replay' : undefined}
        data-testid="status"
        title={connection.state === 'reconnecting' ? connection.reason : undefined}
      >
        <span className="pill-dot" aria-hidden="true" />
        {text}
      </span>
      {connection.state === 'reconnecting' && (
        <button type="button" className="retry-now" onClick={retryNow}>
          Retry now
        </button>
      )}
    </>
  );
}

export function describeConnection(connection: ConnectionStatus, source: string, now: number): string {
  switch (connection.state) {
    case 'connecting':
      return 'connecting…';
    case 'live':
      return source === 'relay' ? 'live' : `live · ${source}`;
    case 'reconnecting': {
      const seconds = Math.max(0, Math.ceil((connection.nextAttemptAt - now) / 1000));
      if (connection.unreachable) return seconds > 0 ? `unreachable · retrying in ${seconds} s` : 'unreachable · retrying…';
      return seconds > 0 ? `reconnecting in ${seconds} s` : 'reconnecting…';
    }
    case 'offline':
      return 'offline';
  }
}
