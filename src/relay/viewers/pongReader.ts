// Viewers send the relay nothing but pongs (and, once, a close). Read through ws, each pong costs a
// 64 KiB buffer from libuv, a Buffer around it, the socket's Readable (push, 'data') and ws's
// Receiver (a Writable) before its 'pong' event: at 10,000 viewers that is 1,000 reads a second and,
// by `perf` (docs/benchmarks.md, "Relay fan-out"), about 2.5 % of the relay's CPU, a third of all its
// work that is not write(2).
//
// Here a viewer's socket reads into one buffer shared by every viewer (Node's own `onread` mode for
// net sockets, the one `net.connect({ onread })` uses, switched on after the upgrade), and a read
// that holds nothing but whole pong frames is counted in place, without a copy. Anything else (a
// close frame, a data frame, a pong cut across two reads, bytes ws must refuse) is copied and handed
// to ws through the socket's readable side, in order, and so is every later read of that socket:
// from the first byte that is not a whole pong, ws parses the connection exactly as before. The end
// of the stream and read errors take Node's usual path either way.
//
// This reaches inside Node: net.Socket's kBuffer / kBufferCb / kBufferGen symbols and the TCP
// handle's useUserBuffer. When any of them is missing, readPongsInPlace says so and the viewer's
// pongs come through ws's 'pong' event as before (pongReader.test.ts fails if Node changes them).
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { socketSymbol, tcpHandleClass } from './nodeInternals';

/** The shared read buffer: pongs are 6 bytes; larger reads are only ever handed over, in pieces. */
export const VIEWER_READ_BUFFER_BYTES = 4_096;

/** A client's pong: FIN + opcode 0xA, no RSV bits (RFC 6455 section 5.2). */
const PONG_FIRST_BYTE = 0x8a;
const MASK_BIT = 0x80;
/** Control frames carry at most 125 bytes (RFC 6455 section 5.5). */
const MAX_CONTROL_PAYLOAD = 125;
const MASK_KEY_BYTES = 4;

interface UserBufferHandle {
  useUserBuffer(buffer: Uint8Array): void;
}

interface OnreadSymbols {
  kBuffer: symbol;
  kBufferCb: symbol;
  kBufferGen: symbol;
  TCP: abstract new () => UserBufferHandle;
}

type ViewerSocket = Socket & { _handle: unknown; [key: symbol]: unknown };
type ReadCallback = (this: ViewerSocket, nread: number, buffer: Buffer) => boolean;

const symbols = loadOnreadSymbols();
const sharedReadBuffer = Buffer.alloc(VIEWER_READ_BUFFER_BYTES);

/** Whether this Node has what reading pongs in place needs. */
export const readsPongsInPlace = (): boolean => symbols !== undefined;

/**
 * From now on, reads of the viewer's socket that hold only whole pong frames call `onPong` (once
 * per read) instead of reaching ws; everything else reaches ws as before. Returns false (nothing
 * changed: pongs keep coming as ws 'pong' events) when this Node lacks what it needs, the socket is
 * not a plain TCP socket, or it is no longer open.
 */
export function readPongsInPlace(viewer: WebSocket, onPong: () => void): boolean {
  if (symbols === undefined || viewer.readyState !== viewer.OPEN) return false;
  const socket = (viewer as unknown as { _socket: ViewerSocket })._socket;
  const handle = socket._handle;
  if (!(handle instanceof symbols.TCP) || socket.destroyed || socket[symbols.kBuffer] || !socket.readableFlowing) return false;
  let handedOver = false;
  const onRead: ReadCallback = function (nread, buffer) {
    if (!handedOver) {
      if (onlyWholePongs(buffer, nread)) {
        onPong();
        return true;
      }
      handedOver = true;
    }
    // A copy: the shared buffer is overwritten by the next read of any viewer.
    return this.push(Buffer.from(buffer.subarray(0, nread)));
  };
  socket[symbols.kBuffer] = sharedReadBuffer;
  socket[symbols.kBufferCb] = onRead;
  socket[symbols.kBufferGen] = null;
  handle.useUserBuffer(sharedReadBuffer);
  return true;
}

/** Whether the first `length` bytes are one or more whole, masked pong frames and nothing else. */
export function onlyWholePongs(bytes: Uint8Array, length: number): boolean {
  let offset = 0;
  while (offset < length) {
    if (length - offset < 2 + MASK_KEY_BYTES || bytes[offset] !== PONG_FIRST_BYTE) return false;
    const second = bytes[offset + 1]!;
    // Unmasked or oversized: ws refuses it (1002), so ws must see it.
    if ((second & MASK_BIT) === 0 || (second & ~MASK_BIT) > MAX_CONTROL_PAYLOAD) return false;
    offset += 2 + MASK_KEY_BYTES + (second & ~MASK_BIT);
  }
  return length > 0 && offset === length;
}

/** net.Socket's onread symbols and the TCP handle class, or undefined if Node lacks any of them. */
function loadOnreadSymbols(): OnreadSymbols | undefined {
  const [kBuffer, kBufferCb, kBufferGen] = [socketSymbol('kBuffer'), socketSymbol('kBufferCb'), socketSymbol('kBufferGen')];
  const TCP = tcpHandleClass<UserBufferHandle>();
  if (!kBuffer || !kBufferCb || !kBufferGen || TCP === undefined || typeof TCP.prototype.useUserBuffer !== 'function') return undefined;
  return { kBuffer, kBufferCb, kBufferGen, TCP };
}
