// A long resume replay, sent VIEWER_REPLAY_IN_FLIGHT_BYTES at a time. Each chunk is followed by a
// ping, and the next chunk goes out only when that ping's pong comes back: proof that the viewer
// has read everything before it (TCP keeps order, and a client answers pings in order). Socket
// "drain" proves nothing here: the kernel takes megabytes for a peer that never reads, so a
// ~250-byte handshake could otherwise park the whole history in kernel memory.
import type { WebSocket } from 'ws';
import { VIEWER_REPLAY_IN_FLIGHT_BYTES } from '../../protocol';
import { writeRawFrames } from './rawFrameWrite';
import { wireFrames } from './rollingFanOut';

/** The payload of the pings that pace a replay (liveness pings carry none). */
const REPLAY_PING = Buffer.from('replay');

export class PacedReplay {
  private next = 0;
  private held: Buffer[] = [];
  /** Broadcast bytes waiting behind the replay. */
  heldBytes = 0;

  /** Whether a replay is long enough to pace (shorter ones go out in one write, as broadcasts do). */
  static needed(replay: readonly Buffer[], chunkBytes = VIEWER_REPLAY_IN_FLIGHT_BYTES): boolean {
    let bytes = 0;
    for (const frame of replay) if ((bytes += frame.length) > chunkBytes) return true;
    return false;
  }

  constructor(
    private readonly socket: WebSocket,
    /** The viewer's own frames in order: its hello, then the strikes to replay. */
    private readonly frames: readonly Buffer[],
    /** Broadcasts held beyond this are refused (the viewer is cut as slow, VIEWER_BACKLOG_BYTES). */
    private readonly maxHeldBytes: number,
    private readonly chunkBytes = VIEWER_REPLAY_IN_FLIGHT_BYTES,
  ) {}

  /** Writes the first chunk. */
  start(): 'sending' | 'done' {
    return this.sendChunk();
  }

  /** Keeps a broadcast for after the replay; false if that would pass the backlog limit. */
  hold(wire: Buffer): boolean {
    if (this.heldBytes + wire.length > this.maxHeldBytes) return false;
    this.held.push(wire);
    this.heldBytes += wire.length;
    return true;
  }

  /** A pong arrived: if it answers the replay's ping, the next chunk goes out. */
  acknowledged(pong: Buffer): 'sending' | 'done' {
    return pong.equals(REPLAY_PING) ? this.sendChunk() : 'sending';
  }

  private sendChunk(): 'sending' | 'done' {
    const chunk: Buffer[] = [];
    let bytes = 0;
    while (this.next < this.frames.length && (chunk.length === 0 || bytes + this.frames[this.next]!.length <= this.chunkBytes)) {
      const frame = this.frames[this.next++]!;
      chunk.push(frame);
      bytes += frame.length;
    }
    if (chunk.length > 0) writeRawFrames(this.socket, wireFrames(chunk));
    if (this.next < this.frames.length) {
      this.socket.ping(REPLAY_PING);
      return 'sending';
    }
    // The replay is out: the broadcasts held meanwhile follow it, and the fan-out writes directly again.
    if (this.held.length > 0) writeRawFrames(this.socket, Buffer.concat(this.held));
    this.held = [];
    this.heldBytes = 0;
    return 'done';
  }
}
