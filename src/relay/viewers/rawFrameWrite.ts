// Where the relay reaches inside `ws` and Node to write (pongReader.ts does to read; the lookups are in
// nodeInternals.ts): prebuilt viewer frames go straight to the
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
// descriptor in one bare write(2) (from the fan-out's sweep: one send each, a chunk of them
// submitted through io_uring in one system call where liburing was built in); whatever the kernel
// does not take then goes to the handle, which queues it in order. AEOLIAN_NATIVE_WRITE=0 turns
// this off. Each viewer's ViewerWriter checks all of the above once and then writes bare until ws,
// the socket's end or its destruction intervenes (it listens to the socket for those), so a sweep
// touches one small object per viewer.
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { constants } from 'node:os';
import { getSystemErrorName } from 'node:util';
import type { WebSocket } from 'ws';
import { nodeBinding, socketSymbol, tcpHandleClass } from './nodeInternals';
import type { BareWriter } from './rollingFanOut';

/** A request object libuv can hold a partial write on (Node's WriteWrap), plus what we keep on it. */
interface WriteRequest {
  oncomplete: ((this: WriteRequest, status: number) => void) | undefined;
  /** Kept while libuv holds the write, so the bytes stay alive. */
  buffer: Buffer | null;
  writer: ViewerWriter | null;
}

interface StreamHandle {
  writeBuffer(request: WriteRequest, data: Buffer): number;
  /** The descriptor (libuv stream handles on Unix; -1 once closed). */
  readonly fd?: number;
}

/** native/viewerWrite.c. */
interface NativeViewerWrite {
  /** Bytes the kernel took (>= 0) or -errno. */
  writeFd(fd: number, data: Uint8Array): number;
  /** BareWriter.sweep (rollingFanOut.ts). */
  sweepWrite: BareWriter['sweep'];
  /** The sweep's io_uring; `enable` switches whether the sweep uses it (tests). */
  ring(enable?: boolean): SweepRing;
}

/** Whether the native sweep sends through io_uring (one system call per chunk of viewers), and how much. */
export interface SweepRing {
  /** This process has a ring: liburing was built in and io_uring_setup(2) was allowed. */
  available: boolean;
  /** The sweep uses it (AEOLIAN_IO_URING=0 turns it off). */
  enabled: boolean;
  /** Sends submitted through it so far: writes the process's write-syscall count does not see. */
  sends: number;
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

type ViewerSocket = Socket & { _handle: StreamHandle | null; timeout?: number; [key: symbol]: unknown };
/** Where writeRawFrames keeps each viewer's writer (on the ws object, made on first use). */
const writerKey = Symbol('aeolian.rawFrameWrite.writer');

let streamWrap = loadStreamWrap();
const nativeWrite = process.env.AEOLIAN_NATIVE_WRITE === '0' ? undefined : loadNativeWrite();
/** Writes the native path finished whole, and those it passed on (part or none taken) to the handle. */
const nativeCounts = { whole: 0, passedOn: 0 };
const WOULD_BLOCK = new Set([-constants.errno.EAGAIN, -constants.errno.EWOULDBLOCK]);
/** A request no write holds: a write the kernel takes at once never binds it, so it is reused. */
let spareRequest: WriteRequest | undefined;

/** Whether writes go through the handle here (false: this Node lacks what it needs, socket.write). */
export const writesThroughHandle = (): boolean => streamWrap !== undefined;
/** Whether writes that can go straight to the descriptor do (the native viewer write is loaded). */
export const writesNatively = (): boolean => nativeWrite !== undefined && streamWrap !== undefined;
/** How many writes the native path finished whole, and how many it passed on to the handle (for tests). */
export const nativeWriteCounts = (): Readonly<typeof nativeCounts> => nativeCounts;
/** Whether `kHandle` was seen to hold what `_handle` returns, on the first socket written. */
let handleKeyChecked = false;

/**
 * Writes complete, unmasked server frames to one viewer's socket, in order with everything ws
 * writes to it. The gateway keeps one per viewer; pacedReplay.ts reaches the same one through
 * writeRawFrames.
 *
 * Why it is armed: a sweep of 10,000 viewers that reads each socket's state before its write
 * (ws's readyState and bufferedAmount, the Writable's length, corked, writable, the handle) touches
 * half a dozen scattered objects per viewer, and those cache misses were most of the relay's user
 * time per write (docs/benchmarks.md, "Relay fan-out"). So the full check runs once, and when
 * it finds the socket idle and open the writer arms: from then on a write is one bare write(2) to
 * the descriptor it keeps, touching nothing but this object, until something could make that
 * wrong. Every such thing goes through the socket, where the writer listens: ws writing its own
 * frame (a ping, a pong, a close: `write`), the socket ending (`end`) or being destroyed (its
 * descriptor closes, and the number may be reused at once: `_destroy`). Each disarms it before it
 * happens, and the next write takes the full check again.
 */
export class ViewerWriter {
  /** The descriptor while armed (a bare write cannot overtake anything and the socket is open), else -1. */
  private armedFd = -1;
  /** Bytes of handle writes libuv still holds (whole writes, as ws counts its own). */
  private held = 0;
  /**
   * The descriptor, read from the handle once: its `fd` getter goes through libuv (2 % of a
   * 10,000-viewer sweep's CPU when read per write). A socket keeps it until it is destroyed.
   */
  private fd = -1;
  private readonly socket: ViewerSocket;
  private destroyed = false;
  /**
   * Told the descriptor when the writer arms and -1 when it disarms (before anything else reaches
   * the socket): the fan-out writes armed viewers bare from its sweep (RollingFanOut.armed).
   */
  onArmedChange: ((fd: number) => void) | undefined;

  constructor(private readonly viewer: WebSocket) {
    this.socket = (viewer as unknown as { _socket: ViewerSocket })._socket;
    if (nativeWrite !== undefined) this.listenToSocket();
  }

  /** The armed descriptor, or -1. */
  get descriptor(): number {
    return this.armedFd;
  }

  /** Whether the viewer can still be written: its socket is not destroyed and ws's readyState is OPEN. */
  get open(): boolean {
    return this.armedFd >= 0 || (!this.destroyed && this.viewer.readyState === this.viewer.OPEN);
  }

  /**
   * Bytes written to the viewer that its socket still holds: ws's bufferedAmount (the socket's
   * own queue) plus handle writes libuv has not finished. The backlog limit reads this.
   */
  get backlogBytes(): number {
    if (this.armedFd >= 0) return 0;
    return this.viewer.bufferedAmount + this.held;
  }

  write(wire: Buffer): void {
    const fd = this.armedFd;
    if (fd < 0) return this.writeChecked(wire);
    const written = nativeWrite!.writeFd(fd, wire);
    if (written === wire.length) {
      nativeCounts.whole++;
      return;
    }
    this.writeRest(wire, written);
  }

  /** The full check: to the descriptor (arming), through the handle, or by socket.write. */
  private writeChecked(wire: Buffer): void {
    if (this.destroyed) return; // nothing can reach a destroyed socket's peer
    const socket = this.socket;
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
    if (nativeWrite !== undefined && this.held === 0 && this.viewer.readyState === this.viewer.OPEN) {
      if (this.fd < 0) this.fd = handle.fd ?? -1;
      if (this.fd >= 0) {
        this.armedFd = this.fd;
        this.onArmedChange?.(this.fd);
        return this.write(wire);
      }
    }
    this.writeThroughHandle(binding, handle, wire);
  }

  /**
   * A bare write took `written` bytes of `wire` (fewer than all; -errno if it failed): the handle
   * queues the rest, in order, and the writer disarms until libuv has written it.
   */
  writeRest(wire: Buffer, written: number): void {
    this.disarm();
    if (written < 0 && !WOULD_BLOCK.has(written)) {
      this.socket.destroy(writeError(written));
      return;
    }
    nativeCounts.passedOn++;
    const binding = streamWrap!;
    this.writeThroughHandle(binding, this.socket[binding.kHandle] as StreamHandle, written > 0 ? wire.subarray(written) : wire);
  }

  private disarm(): void {
    if (this.armedFd < 0) return;
    this.armedFd = -1;
    this.onArmedChange?.(-1);
  }

  private writeThroughHandle(binding: StreamWrapBinding, handle: StreamHandle, wire: Buffer): void {
    const request = spareRequest ?? new binding.WriteWrap();
    spareRequest = undefined;
    const status = handle.writeBuffer(request, wire);
    if (status !== 0) {
      // What net.Socket does on a failed write; nothing of this write was taken, nor is reused.
      this.socket.destroy(writeError(status));
      return;
    }
    if (binding.streamBaseState[binding.kLastWriteWasAsync] === 0) {
      spareRequest = request;
      return;
    }
    // The kernel took part or none: libuv holds the rest, in order, and the request until it is done.
    request.buffer = wire;
    request.writer = this;
    request.oncomplete = onQueuedWriteDone;
    this.held += wire.length;
  }

  /** libuv finished a write it held (onQueuedWriteDone). */
  queuedWriteDone(bytes: number, status: number): void {
    this.held -= bytes;
    if (status < 0 && !this.socket.destroyed) this.socket.destroy(writeError(status));
  }

  /** Disarms before anything else reaches the socket: ws's own frames, its end, its destruction. */
  private listenToSocket(): void {
    const socket = this.socket as unknown as {
      write: (...args: unknown[]) => boolean;
      end: (...args: unknown[]) => unknown;
      _destroy(error: Error | null, callback: (error?: Error | null) => void): void;
    };
    const { write, end, _destroy: destroy } = socket;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the socket calls these with itself as `this`
    const writer = this;
    socket.write = function (this: Socket, ...args: unknown[]) {
      writer.disarm();
      return write.apply(this, args);
    };
    socket.end = function (this: Socket, ...args: unknown[]) {
      writer.disarm();
      return end.apply(this, args);
    };
    socket._destroy = function (this: Socket, error, callback) {
      writer.disarm();
      writer.destroyed = true;
      destroy.call(this, error, callback);
    };
  }
}

/** How the relay writes its viewers, for its start-up log: what an operator checks first when CPU per viewer looks high. */
export function viewerWritePath(): 'io_uring' | 'write(2)' | 'node' {
  if (!writesNatively()) return 'node';
  return nativeWrite!.ring().enabled ? 'io_uring' : 'write(2)';
}

/** The native sweep's io_uring, when the native viewer write is loaded. */
export const sweepRing = (enable?: boolean): SweepRing | undefined => (enable === undefined ? nativeWrite?.ring() : nativeWrite?.ring(enable));

/** The fan-out's bare writes to armed viewers (RollingFanOut), when the native viewer write is loaded. */
export const bareViewerWriter: BareWriter | undefined =
  nativeWrite === undefined ? undefined : { one: nativeWrite.writeFd, sweep: nativeWrite.sweepWrite };

/** The viewer's writer, made on first use (the gateway's and the paced replay's are the same one). */
export function viewerWriter(viewer: WebSocket): ViewerWriter {
  const holder = viewer as unknown as { [writerKey]?: ViewerWriter };
  return (holder[writerKey] ??= new ViewerWriter(viewer));
}

/** Writes complete, unmasked server frames (`wireFrames` in rollingFanOut.ts) to the viewer's socket. */
export function writeRawFrames(viewer: WebSocket, wire: Buffer): void {
  viewerWriter(viewer).write(wire);
}

/** The viewer's backlog (ViewerWriter.backlogBytes). */
export function viewerBacklogBytes(viewer: WebSocket): number {
  return viewerWriter(viewer).backlogBytes;
}

/** Once, on the first live socket: does `kHandle` hold the handle? If not, socket.write from now on. */
function handleKeyHolds(socket: ViewerSocket, handle: StreamHandle): boolean {
  handleKeyChecked = true;
  if (handle === socket._handle) return true;
  streamWrap = undefined;
  return false;
}

function onQueuedWriteDone(this: WriteRequest, status: number): void {
  const writer = this.writer!;
  const bytes = this.buffer!.length;
  this.buffer = null;
  this.writer = null;
  writer.queuedWriteDone(bytes, status);
}

function writeError(status: number): NodeJS.ErrnoException {
  const code = getSystemErrorName(status);
  return Object.assign(new Error(`write ${code}`), { errno: status, code, syscall: 'write' });
}

/** Node's stream binding, checked for what this uses; undefined (socket.write) if anything is off. */
function loadStreamWrap(): StreamWrapBinding | undefined {
  const { WriteWrap, streamBaseState, kLastWriteWasAsync } = nodeBinding('stream_wrap') as Partial<StreamWrapBinding>;
  if (typeof WriteWrap !== 'function' || !(streamBaseState instanceof Int32Array) || typeof kLastWriteWasAsync !== 'number') return undefined;
  const TCP = tcpHandleClass<StreamHandle>();
  if (TCP === undefined || typeof (TCP.prototype as Partial<StreamHandle>).writeBuffer !== 'function') return undefined;
  const kHandle = socketSymbol('kHandle');
  if (kHandle === undefined) return undefined;
  return { kHandle, TCP, WriteWrap, streamBaseState, kLastWriteWasAsync };
}

/** The native viewer write, if scripts/buildNative.ts built it for this Node. */
function loadNativeWrite(): NativeViewerWrite | undefined {
  try {
    const loaded = createRequire(import.meta.url)('../../../native/build/viewerWrite.node') as Partial<NativeViewerWrite>;
    // An older build (without `ring`) is one scripts/buildNative.ts has not rebuilt: write through Node.
    return typeof loaded.writeFd === 'function' && typeof loaded.sweepWrite === 'function' && typeof loaded.ring === 'function'
      ? (loaded as NativeViewerWrite)
      : undefined;
  } catch {
    return undefined;
  }
}
