// The one place the relay reaches inside `ws` and Node: prebuilt viewer frames go straight to the
// TCP handle under a WebSocket, one write per viewer per sweep (docs/architecture.md, "Fan-out to
// viewers"). net.Socket.write costs ~3 us of user time a call (Writable state, a new WriteWrap,
// afterWrite on nextTick); the handle's own writeBuffer with one reused request costs a fraction.
// rawFrameWrite.test.ts fails if Node or ws changes what this relies on:
// - ws keeps the connection's net.Socket in `_socket`, and perMessageDeflate is off for viewers, so
//   ws writes its own frames (pings, close) at once through that socket, never from a later queue;
// - the socket's handle (net's `kHandle` symbol, what its `_handle` getter returns: checked on the
//   first socket written) has writeBuffer(req, buffer), which writes what the kernel takes at once
//   and queues the rest in libuv, in order, reporting which through Node's stream_wrap binding
//   (`streamBaseState[kLastWriteWasAsync]`), and calls `req.oncomplete(status)` when it is written.
// The handle is written only while the socket's own Writable holds nothing, so bytes never overtake
// ws's; otherwise, or when any of this is missing, frames take socket.write as before.
//
// Cheaper still, when the native viewer write is built (native/viewerWrite.c, by
// scripts/buildNative.ts): while libuv holds nothing for the socket either, the frames go to its
// descriptor in one bare write(2); whatever the kernel does not take then goes to the handle, which
// queues it in order. AEOLIAN_NATIVE_WRITE=0 turns this off.
import { createRequire } from 'node:module';
import { Socket } from 'node:net';
import { constants } from 'node:os';
import { getSystemErrorName } from 'node:util';
import type { WebSocket } from 'ws';

/** A request object libuv can hold a partial write on (Node's WriteWrap), plus what we keep on it. */
interface WriteRequest {
  oncomplete: ((this: WriteRequest, status: number) => void) | undefined;
  /** Kept while libuv holds the write, so the bytes stay alive. */
  buffer: Buffer | null;
  socket: Socket | null;
}

interface StreamHandle {
  writeBuffer(request: WriteRequest, data: Buffer): number;
  /** The descriptor (libuv stream handles on Unix; -1 once closed). */
  readonly fd?: number;
}

/** native/viewerWrite.c: bytes the kernel took (>= 0) or -errno. */
interface NativeViewerWrite {
  writeFd(fd: number, data: Uint8Array): number;
}

interface StreamWrapBinding {
  /**
   * net.Socket's own key for its handle. Its `_handle` getter reads the same, but that getter is
   * shared by every socket kind in the process, so the lookup in it is megamorphic: ~600
   * instructions a write, more than the rest of the sweep's own work.
   */
  kHandle: symbol;
  /** libuv TCP handles: the only kind written directly (a TLS or pipe handle takes socket.write). */
  TCP: abstract new () => StreamHandle;
  WriteWrap: new () => WriteRequest;
  streamBaseState: Int32Array;
  kLastWriteWasAsync: number;
}

/** Bytes of handle writes libuv still holds for a socket (whole writes, as ws counts its own). */
const queuedBytes = Symbol('aeolian.rawFrameWrite.queuedBytes');
/**
 * The socket's descriptor, read from its handle once: the handle's `fd` getter goes through libuv
 * (2 % of a 10,000-viewer sweep's CPU when read per write). A socket keeps its descriptor while it is
 * writable, and only writable sockets are written.
 */
const descriptor = Symbol('aeolian.rawFrameWrite.descriptor');
type ViewerSocket = Socket & { _handle: StreamHandle | null; timeout?: number; [queuedBytes]?: number; [descriptor]?: number; [key: symbol]: unknown };

let streamWrap = loadStreamWrap();
const nativeWrite = process.env.AEOLIAN_NATIVE_WRITE === '0' ? undefined : loadNativeWrite();
/** Writes the native path finished whole, and those it passed on (part or none taken) to the handle. */
const nativeCounts = { whole: 0, passedOn: 0 };
const WOULD_BLOCK = new Set([-constants.errno.EAGAIN, -constants.errno.EWOULDBLOCK]);
/** A request no write holds: a write the kernel takes at once never binds it, so it is reused. */
let spareRequest: WriteRequest | undefined;
/** Handle writes libuv holds, over all sockets: while 0, no socket has held bytes to look up. */
let heldWrites = 0;

/** Whether writes go through the handle here (false: this Node lacks what it needs, socket.write). */
export const writesThroughHandle = (): boolean => streamWrap !== undefined;
/** Whether writes that can go straight to the descriptor do (the native viewer write is loaded). */
export const writesNatively = (): boolean => nativeWrite !== undefined && streamWrap !== undefined;
/** How many writes the native path finished whole, and how many it passed on to the handle (for tests). */
export const nativeWriteCounts = (): Readonly<typeof nativeCounts> => nativeCounts;
/** Whether `kHandle` was seen to hold what `_handle` returns, on the first socket written. */
let handleKeyChecked = false;

/** Writes complete, unmasked server frames (`wireFrames` in rollingFanOut.ts) to the viewer's socket. */
export function writeRawFrames(viewer: WebSocket, wire: Buffer): void {
  const socket = (viewer as unknown as { _socket: ViewerSocket })._socket;
  const binding = streamWrap;
  const handle = binding === undefined ? null : (socket[binding.kHandle] as StreamHandle | null);
  if (
    binding === undefined ||
    !(handle instanceof binding.TCP) ||
    (!handleKeyChecked && !handleKeyHolds(socket, handle)) ||
    socket.writableLength !== 0 ||
    socket.writableCorked !== 0 ||
    socket.connecting ||
    !socket.writable ||
    socket.timeout // net.Socket.write restarts an idle timer; viewer sockets have none
  ) {
    socket.write(wire);
    return;
  }
  writeThroughHandle(binding, socket, handle, wire);
}

/**
 * Bytes written to the viewer that its socket still holds: ws's bufferedAmount (the socket's own
 * queue) plus handle writes libuv has not finished. The backlog limit reads this.
 */
export function viewerBacklogBytes(viewer: WebSocket): number {
  if (heldWrites === 0) return viewer.bufferedAmount;
  return viewer.bufferedAmount + ((viewer as unknown as { _socket: ViewerSocket | undefined })._socket?.[queuedBytes] ?? 0);
}

/** Once, on the first live socket: does `kHandle` hold the handle? If not, socket.write from now on. */
function handleKeyHolds(socket: ViewerSocket, handle: StreamHandle): boolean {
  handleKeyChecked = true;
  if (handle === socket._handle) return true;
  streamWrap = undefined;
  return false;
}

function writeThroughHandle(binding: StreamWrapBinding, socket: ViewerSocket, handle: StreamHandle, wire: Buffer): void {
  if (nativeWrite !== undefined) {
    const rest = writeToDescriptor(nativeWrite, socket, handle, wire);
    if (rest === null) return;
    wire = rest;
  }
  const request = spareRequest ?? new binding.WriteWrap();
  spareRequest = undefined;
  const status = handle.writeBuffer(request, wire);
  if (status !== 0) {
    // What net.Socket does on a failed write; nothing of this write was taken, nor is reused.
    socket.destroy(writeError(status));
    return;
  }
  if (binding.streamBaseState[binding.kLastWriteWasAsync] === 0) {
    spareRequest = request;
    return;
  }
  // The kernel took part or none: libuv holds the rest, in order, and the request until it is done.
  request.buffer = wire;
  request.socket = socket;
  request.oncomplete = onQueuedWriteDone;
  socket[queuedBytes] = (socket[queuedBytes] ?? 0) + wire.length;
  heldWrites++;
}

/**
 * One bare write to the socket's descriptor, while libuv holds nothing for it (nor does its
 * Writable: checked by the caller), so it cannot overtake. Returns what the kernel did not take,
 * for the handle to queue, or null when nothing is left to write (all taken, or the socket failed).
 */
function writeToDescriptor(native: NativeViewerWrite, socket: ViewerSocket, handle: StreamHandle, wire: Buffer): Buffer | null {
  const fd = (socket[descriptor] ??= handle.fd ?? -1);
  if (fd < 0 || socket[queuedBytes]) return wire;
  const written = native.writeFd(fd, wire);
  if (written === wire.length) {
    nativeCounts.whole++;
    return null;
  }
  if (written < 0 && !WOULD_BLOCK.has(written)) {
    socket.destroy(writeError(written));
    return null;
  }
  nativeCounts.passedOn++;
  return written > 0 ? wire.subarray(written) : wire;
}

function onQueuedWriteDone(this: WriteRequest, status: number): void {
  const socket = this.socket as ViewerSocket;
  socket[queuedBytes]! -= this.buffer!.length;
  heldWrites--;
  this.buffer = null;
  this.socket = null;
  if (status < 0 && !socket.destroyed) socket.destroy(writeError(status));
}

function writeError(status: number): NodeJS.ErrnoException {
  const code = getSystemErrorName(status);
  return Object.assign(new Error(`write ${code}`), { errno: status, code, syscall: 'write' });
}

/** Node's stream binding, checked for what this uses; undefined (socket.write) if anything is off. */
function loadStreamWrap(): StreamWrapBinding | undefined {
  try {
    const { binding } = process as unknown as { binding(name: string): Record<string, unknown> };
    const { WriteWrap, streamBaseState, kLastWriteWasAsync } = binding('stream_wrap') as Partial<StreamWrapBinding>;
    if (typeof WriteWrap !== 'function' || !(streamBaseState instanceof Int32Array) || typeof kLastWriteWasAsync !== 'number') return undefined;
    const TCP = binding('tcp_wrap').TCP as (abstract new () => StreamHandle) | undefined;
    if (typeof TCP !== 'function' || typeof (TCP.prototype as Partial<StreamHandle>).writeBuffer !== 'function') return undefined;
    const kHandle = Object.getOwnPropertySymbols(new Socket()).find((key) => key.description === 'kHandle');
    if (kHandle === undefined) return undefined;
    return { kHandle, TCP, WriteWrap, streamBaseState, kLastWriteWasAsync };
  } catch {
    return undefined;
  }
}

/** The native viewer write, if scripts/buildNative.ts built it for this Node. */
function loadNativeWrite(): NativeViewerWrite | undefined {
  try {
    const loaded = createRequire(import.meta.url)('../../../native/build/viewerWrite.node') as Partial<NativeViewerWrite>;
    return typeof loaded.writeFd === 'function' ? (loaded as NativeViewerWrite) : undefined;
  } catch {
    return undefined;
  }
}
