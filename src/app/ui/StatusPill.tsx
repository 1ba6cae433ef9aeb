// Connection state in one word and a color, with the next reconnect countdown. A replay says so
// first, with its range and speed, in its own colour: never mistaken for live.
import { useEffect, useState } from 'react';
import { useLive } from '../store/useLive';
import { describeReplay } from '../transport/replayRange';

export function StatusPill() {
  const connection = useLive((s) => s.connection);
  const source = useLive((s) => s.source);
  const replay = useLive((s) => s.replay);
  const [, tick] = useState(0);
  useEffect(() => {
    if (connection.state !== 'reconnecting') return;
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [connection]);
  let text: string;
  switch (connection.state) {
    case 'connecting':
      text = 'connecting…';
      break;
    case 'live':
      text = source === 'relay' ? 'live' : `live · ${source}`;
      break;
    case 'reconnecting': {
      const seconds = Math.max(0, Math.ceil((connection.nextAttemptAt - Date.now()) / 1000));
      text = seconds > 0 ? `reconnecting in ${seconds} s` : 'reconnecting…';
      break;
    }
    case 'offline':
      text = 'offline';
      break;
  }
  if (replay) text = `${describeReplay(replay, Date.now())}${connection.state === 'live' ? '' : ` · ${text}`}`;
  return (
    <span className="pill" data-state={connection.state} data-source={replay ? 'replay' : undefined} data-testid="status" title={connection.state === 'reconnecting' ? connection.reason : undefined}>
      <span className="pill-dot" aria-hidden="true" />
      {text}
    </span>
  );
}
