// The websocket heartbeat every gateway runs (/device, /live, /touch): a ping per round, and a link
// that has missed DEVICE_MISSED_PONGS_ALLOWED pongs in a row is dead (a half-open TCP link sends
// no close, so only silence tells).
import { DEVICE_MISSED_PONGS_ALLOWED } from '../../protocol';

export interface HeartbeatLink {
  readonly socket: { ping(): void; terminate(): void };
  /** Reset to 0 by the gateway on every pong. */
  missedPongs: number;
}

/**
 * One heartbeat round: dead links are terminated and handed to `onDead`, the others pinged (by
 * `ping`: the viewer gateway's rides in its fan-out sweep; the socket's own ping otherwise).
 */
export function pingOrDrop<L extends HeartbeatLink>(links: Iterable<L>, onDead: (link: L) => void, ping: (link: L) => void = (link) => link.socket.ping()): void {
  for (const link of links) {
    if (link.missedPongs >= DEVICE_MISSED_PONGS_ALLOWED) {
      link.socket.terminate();
      onDead(link);
      continue;
    }
    link.missedPongs++;
    ping(link);
  }
}
