import type { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { PacedReplay } from './pacedReplay';
import { wireFrames } from './rollingFanOut';

/** A stand-in for a ws socket: records raw writes (rawFrameWrite.ts) and pings. */
function fakeSocket() {
  const writes: Buffer[] = [];
  const pings: Buffer[] = [];
  const socket = { _socket: { write: (wire: Buffer) => writes.push(wire) }, ping: (data: Buffer) => pings.push(data) };
  return { socket: socket as unknown as WebSocket, writes, pings };
}

const frame = (n: number) => Buffer.from(`{"n":${String(n).padStart(4, '0')}}`); // 10 bytes

describe('PacedReplay', () => {
  it('sends one chunk per acknowledged ping, then the broadcasts held behind it, in order', () => {
    const { socket, writes, pings } = fakeSocket();
    const frames = Array.from({ length: 10 }, (_, i) => frame(i));
    const replay = new PacedReplay(socket, frames, 1_000, 30);
    expect(PacedReplay.needed(frames, 30)).toBe(true);
    expect(replay.start()).toBe('sending');
    expect(writes).toEqual([wireFrames(frames.slice(0, 3))]);
    expect(pings).toHaveLength(1);
    expect(replay.hold(Buffer.from('live-1'))).toBe(true);
    // A liveness pong (no payload) does not release the next chunk.
    expect(replay.acknowledged(Buffer.alloc(0))).toBe('sending');
    expect(writes).toHaveLength(1);
    expect(replay.acknowledged(pings[0]!)).toBe('sending');
    expect(replay.acknowledged(pings[0]!)).toBe('sending');
    expect(replay.acknowledged(pings[0]!)).toBe('done');
    expect(writes).toEqual([
      wireFrames(frames.slice(0, 3)),
      wireFrames(frames.slice(3, 6)),
      wireFrames(frames.slice(6, 9)),
      wireFrames(frames.slice(9)),
      Buffer.from('live-1'),
    ]);
  });

  it('refuses to hold more broadcasts than the backlog limit', () => {
    const { socket } = fakeSocket();
    const replay = new PacedReplay(socket, [frame(1), frame(2), frame(3)], 10, 10);
    replay.start();
    expect(replay.hold(Buffer.alloc(8))).toBe(true);
    expect(replay.hold(Buffer.alloc(3))).toBe(false);
  });

  it('leaves a short replay to the fan-out', () => {
    expect(PacedReplay.needed([frame(1), frame(2)], 30)).toBe(false);
  });
});
