// The one place the relay reaches inside `ws`: prebuilt viewer frames are written straight to the
// TCP socket under a WebSocket. ws's public send() frames and writes each message on its own, a
// syscall per viewer per strike; one write of every pending frame is what keeps fan-out cheap
// (docs/architecture.md, "Fan-out to viewers"). rawFrameWrite.test.ts fails if a ws upgrade breaks
// what this relies on:
// - `_socket` is the connection's net.Socket;
// - ws reads `bufferedAmount` from that socket's buffered bytes, so the backlog limit counts these;
// - perMessageDeflate is off for viewers, so ws writes its own frames (pings, close) at once and in
//   order with these, never from a queue these could overtake.
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

/** Writes complete, unmasked server frames (`wireFrames` in rollingFanOut.ts) to the viewer's socket. */
export function writeRawFrames(viewer: WebSocket, wire: Buffer): void {
  (viewer as unknown as { _socket: Socket })._socket.write(wire);
}
