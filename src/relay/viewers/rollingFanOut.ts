// Fan-out to thousands of viewers by one cursor that sweeps them, over one shared log of frames.
//
// A broadcast is appended to the log once (O(1), however many viewers). A sweep then visits every
// viewer in turn and writes it, in a single write, every frame it has not had yet: frames are
// built once and shared by all the viewers that need the same range. On loopback a write costs
// ~9 us of kernel time whatever its size, so the sweep, not the strike rate, sets the work: a busy
// relay puts more frames in each write instead of falling behind, and drops nothing.
//
// Why a sweep rather than "flush every viewer, then start again": a strike that arrives while the
// sweep is at viewer p reaches viewers p..n in this sweep and 0..p-1 in the next, so every viewer
// has it within one sweep. Flushing whole batches makes a strike wait for the batch under way and
// then its own, two sweeps in the worst case. The sweep also yields to the event loop every
// FAN_OUT_CHUNK_VIEWERS viewers, so device frames, pings and /healthz are served during it.
import { MAX_MESSAGES_PER_VIEWER_FRAME } from '../../protocol';
import { SweepOrder } from './sweepOrder';

/** Viewers written per event-loop turn: about 5 ms of writes on loopback, then I/O gets a turn. */
export const FAN_OUT_CHUNK_VIEWERS = 500;

export interface FanOutTarget {
  /** Station ids this target wants, or null for all. */
  readonly stations: ReadonlySet<string> | null;
}

/**
 * Bare writes to armed targets' descriptors (native/viewerWrite.c through rawFrameWrite.ts; a
 * plain JavaScript stand-in in the tests).
 */
export interface BareWriter {
  /** One write(2) of `wire` to `fd`: bytes the kernel took, or -errno. */
  one(fd: number, wire: Buffer): number;
  /**
   * From `start`: passes targets with sentUpTo[i] === head; writes `wire` in one write to each with
   * bareFd[i] >= 0 and sentUpTo[i] === from, setting sentUpTo[i] = head when the kernel takes it
   * whole. Stops at `end` or at the first other target and returns that index. out[0] = whole
   * writes; out[1] = k writes taken in part or failed, with out[2 + 2j] the index of each and
   * out[3 + 2j] the bytes it took or -errno (their sentUpTo left as it was). `out` holds
   * 2 + 2 * (end - start) numbers.
   */
  sweep(bareFd: Int32Array, sentUpTo: Float64Array, start: number, end: number, from: number, head: number, wire: Buffer, out: Int32Array): number;
}

interface Slot<T> {
  target: T;
  /** Where it is in `order` (its log position and bare descriptor are there, by index). */
  index: number;
  /** Frames for this target alone (hello, replay), due before log frames after its log position. */
  own: Buffer[] | undefined;
  /** A heartbeat ping rides at the end of this target's next write. */
  pingDue: boolean;
  /** The target wants every station (its filter is null). */
  readonly allStations: boolean;
  /** The descriptor its owner armed it with (`armed`), or -1. */
  armedFd: number;
}

export class RollingFanOut<T extends FanOutTarget> {
  private readonly slots = new Map<T, Slot<T>>();
  private readonly order = new SweepOrder<Slot<T>>();
  /** BareWriter.sweep's out (whole writes, then the short ones: index and bytes taken). */
  private readonly bareOut: Int32Array;
  /** Writes made bare, so far, and those of them the kernel took only part of (or failed). */
  private writtenBare = 0;
  private shortBare = 0;
  /** Frames from absolute position `base` on, and the station each belongs to (undefined: all). */
  private frames: Buffer[] = [];
  private frameStations: (string | undefined)[] = [];
  private base = 0;
  private cursor = 0;
  private sweeping = false;
  /** Log end when the current sweep started: after it, every target has at least this much. */
  private sweepStartHead = 0;
  /** Targets given own frames since the current sweep started (they may sit behind the cursor). */
  private ownSinceSweepStart = false;
  /** Sweeps begun so far (numbers the sweep the cursor is in). */
  private sweepNumber = 0;
  /**
   * Broadcasts not yet written to every target, oldest first: when, and where the cursor stood
   * (sweep, next index). One is everywhere once the cursor has come round to that index again.
   */
  private readonly inFlight: { at: number; sweep: number; cursor: number }[] = [];
  /** Concatenated wire bytes per starting position, valid for one log end (`sharedHead`). */
  private readonly shared = new Map<number, Buffer>();
  private sharedHead = -1;
  /** Shared wires with a heartbeat ping appended (withPing), kept as long as the wire is. */
  private readonly pingedWires = new WeakMap<Buffer, Buffer>();
  /** The last `shared` entry used: consecutive viewers are nearly always at the same position. */
  private lastSharedFrom = -1;
  private lastSharedWire: Buffer | undefined;

  constructor(
    /**
     * Writes bytes to a target; it may remove the target (a slow viewer cut) while called. With
     * `bareWritten`, a bare write (below) took only that many bytes (or failed, -errno): the
     * target's writer takes the rest from there.
     */
    private readonly write: (target: T, wire: Buffer, bareWritten?: number) => void,
    /** Observes, per broadcast, ms from its append to its being written to every target. */
    private readonly onBroadcastWritten?: (appendedToWrittenMs: number) => void,
    private readonly chunkViewers = FAN_OUT_CHUNK_VIEWERS,
    /**
     * Targets armed with a descriptor (`armed`) get their log frames by a bare write from the sweep
     * itself, a whole chunk of them per native call (docs/architecture.md, "Fan-out to viewers").
     */
    private readonly bareWriter?: BareWriter,
    /**
     * Wire bytes for the payloads a target gets in one write: a frame each (wireFrames), or one
     * frame holding them all for targets that asked for batches (batchWireFrames).
     */
    private readonly framing: (payloads: readonly Buffer[]) => Buffer = wireFrames,
  ) {
    this.bareOut = new Int32Array(2 + 2 * chunkViewers);
  }

  get size(): number {
    return this.slots.size;
  }

  /** Writes made bare (to armed targets) so far: taken whole, and taken in part or failed. */
  get bareWriteCounts(): { whole: number; short: number } {
    return { whole: this.writtenBare, short: this.shortBare };
  }

  /** Whether a sweep is under way (something is still to be written). */
  get busy(): boolean {
    return this.sweeping;
  }

  private get head(): number {
    return this.base + this.frames.length;
  }

  /** Adds a target; `own` frames (its hello, a replay) go out first, then every later broadcast. */
  add(target: T, own: Buffer[]): void {
    const slot: Slot<T> = { target, index: -1, own: own.length > 0 ? [...own] : undefined, pingDue: false, allStations: target.stations === null, armedFd: -1 };
    this.slots.set(target, slot);
    this.order.push(slot, this.head);
    if (slot.own) this.ownQueued();
  }

  /** Forgets a target: it gets nothing more. */
  remove(target: T): void {
    const slot = this.slots.get(target);
    if (!slot) return;
    this.slots.delete(target);
    this.order.remove(slot, this.sweeping);
  }

  /** Sends one frame to every target whose filter admits `stationId` (undefined: to all). */
  broadcast(frame: Buffer, stationId?: string): void {
    // Nobody to write: a target added later starts at the log's end anyway, and a broadcast
    // written to nobody would report a 0 ms fan-out to onBroadcastWritten.
    if (this.slots.size === 0) return;
    this.frames.push(frame);
    this.frameStations.push(stationId);
    this.startSweep();
    if (this.onBroadcastWritten) this.inFlight.push({ at: performance.now(), sweep: this.sweepNumber, cursor: this.cursor });
  }

  /** Sends one frame to one target, after everything broadcast before it. */
  send(target: T, frame: Buffer): void {
    const slot = this.slots.get(target);
    if (!slot) return;
    if (this.order.sentUpTo[slot.index]! < this.head) {
      slot.own = this.pendingFrames(slot);
      this.order.sentUpTo[slot.index] = this.head;
    }
    (slot.own ??= []).push(frame);
    this.updateBare(slot);
    this.ownQueued();
  }

  /**
   * Sends the target a websocket ping (empty payload) at the end of its next write, in this sweep
   * or the next: a heartbeat round costs no write of its own, where 10,000 separate pings (ws's
   * `ping()`, through `net.Socket.write`) held the sweep up for over 100 ms.
   */
  ping(target: T): void {
    const slot = this.slots.get(target);
    if (!slot || slot.pingDue) return;
    slot.pingDue = true;
    this.updateBare(slot);
    this.ownQueued();
  }

  /**
   * From now on the target's log frames may go in one bare write to `fd` (-1: no longer; through
   * `write`). Its owner disarms it before anything else could reach that descriptor (its own
   * frames, a close, the socket's end): a bare write never overtakes, nor reaches a closed socket.
   */
  armed(target: T, fd: number): void {
    const slot = this.slots.get(target);
    if (!slot || !this.bareWriter) return;
    slot.armedFd = fd;
    this.updateBare(slot);
  }

  /** Writes everything pending to every target now (before closing). */
  flushAll(): void {
    // A copy: a write may remove a target (and reorder `order` when no sweep runs).
    for (const slot of this.order.targets()) if (this.slots.get(slot.target) === slot) this.visit(slot);
  }

  /** A target is written bare while it is armed and has nothing but log frames due. */
  private updateBare(slot: Slot<T>): void {
    this.order.bareFd[slot.index] = slot.allStations && !slot.own && !slot.pingDue ? slot.armedFd : -1;
  }

  private ownQueued(): void {
    this.ownSinceSweepStart = true;
    this.startSweep();
  }

  private startSweep(): void {
    if (this.sweeping) return;
    this.sweeping = true;
    this.beginPass();
    setImmediate(() => this.step());
  }

  private beginPass(): void {
    this.sweepNumber++;
    this.cursor = 0;
    this.sweepStartHead = this.head;
    this.ownSinceSweepStart = false;
  }

  private step(): void {
    const end = Math.min(this.cursor + this.chunkViewers, this.order.length);
    while (this.cursor < end) {
      if (this.bareWriter) this.cursor = this.sweepBare(this.cursor, end);
      if (this.cursor === end) break;
      const slot = this.order.at(this.cursor);
      if (slot) this.visit(slot);
      this.cursor++;
    }
    if (this.cursor < this.order.length) {
      this.observeWritten(false);
      setImmediate(() => this.step());
      return;
    }
    this.endPass();
    if (this.head === this.sweepStartHead && !this.ownSinceSweepStart) {
      this.sweeping = false;
      return;
    }
    this.beginPass();
    setImmediate(() => this.step());
  }

  private endPass(): void {
    this.observeWritten(true);
    this.order.compact();
    // Every target now has at least what the log held when this pass started.
    const written = this.sweepStartHead - this.base;
    if (written > 0) {
      this.frames.splice(0, written);
      this.frameStations.splice(0, written);
      this.base = this.sweepStartHead;
    }
  }

  /**
   * Reports the broadcasts now written to every target. Appended with the cursor at (sweep s,
   * index c): everywhere once sweep s+1 has passed c, or at the end of sweep s if c was 0.
   */
  private observeWritten(sweepEnded: boolean): void {
    const now = performance.now();
    while (this.inFlight.length > 0) {
      const { at, sweep, cursor } = this.inFlight[0]!;
      const done =
        sweep < this.sweepNumber - 1 ||
        (sweep === this.sweepNumber - 1 && (this.cursor >= cursor || sweepEnded)) ||
        (sweep === this.sweepNumber && cursor === 0 && sweepEnded);
      if (!done) return;
      this.inFlight.shift();
      this.onBroadcastWritten!(now - at);
    }
  }

  /**
   * Armed targets with only log frames due, from `index` on: one native call writes each run of
   * them at one log position. Returns the first index it left for `visit` (or `end`).
   */
  private sweepBare(index: number, end: number): number {
    const head = this.head;
    while (index < end && this.order.bareFd[index]! >= 0) {
      const from = this.order.sentUpTo[index]!;
      if (from === head) {
        index++;
        continue;
      }
      const wire = this.sharedWire(from);
      index = this.bareWriter!.sweep(this.order.bareFd, this.order.sentUpTo, index, end, from, head, wire, this.bareOut);
      this.writtenBare += this.bareOut[0]!;
      for (let short = 0; short < this.bareOut[1]!; short++) {
        this.afterShortBareWrite(this.order.at(this.bareOut[2 + 2 * short]!)!, wire, this.bareOut[3 + 2 * short]!);
      }
    }
    return index;
  }

  /** A bare write took part of `wire` (or failed): the target's owner writes the rest, unarmed. */
  private afterShortBareWrite(slot: Slot<T>, wire: Buffer, written: number): void {
    this.shortBare++;
    this.order.sentUpTo[slot.index] = this.head;
    slot.armedFd = -1;
    this.updateBare(slot);
    this.write(slot.target, wire, written);
  }

  private visit(slot: Slot<T>): void {
    const from = this.order.sentUpTo[slot.index]!;
    if (!slot.own && !slot.pingDue) {
      if (from === this.head) return;
      if (slot.allStations) return this.writeLogFrames(slot, from);
    }
    let wire = !slot.own && slot.allStations ? this.sharedWire(from) : this.framing(this.pendingFrames(slot));
    if (slot.pingDue) {
      slot.pingDue = false;
      wire = this.withPing(wire);
    }
    slot.own = undefined;
    this.order.sentUpTo[slot.index] = this.head;
    this.updateBare(slot);
    if (wire.length > 0) this.write(slot.target, wire);
  }

  /** Log frames only, for a target that wants them all (bare when it is armed). */
  private writeLogFrames(slot: Slot<T>, from: number): void {
    const wire = this.sharedWire(from);
    this.order.sentUpTo[slot.index] = this.head;
    if (slot.armedFd < 0) return this.write(slot.target, wire);
    const written = this.bareWriter!.one(slot.armedFd, wire);
    if (written === wire.length) {
      this.writtenBare++;
      return;
    }
    this.afterShortBareWrite(slot, wire, written);
  }

  /** `wire` and a ping after it, built once per shared wire (every target at one position shares it). */
  private withPing(wire: Buffer): Buffer {
    if (wire.length === 0) return PING_WIRE;
    let pinged = this.pingedWires.get(wire);
    if (!pinged) {
      pinged = Buffer.concat([wire, PING_WIRE]);
      this.pingedWires.set(wire, pinged);
    }
    return pinged;
  }

  /** The target's own frames, then the log frames after `sentUpTo` that its filter admits. */
  private pendingFrames(slot: Slot<T>): Buffer[] {
    const out = slot.own ? [...slot.own] : [];
    const stations = slot.target.stations;
    for (let i = this.order.sentUpTo[slot.index]! - this.base; i < this.frames.length; i++) {
      const station = this.frameStations[i];
      if (!stations || station === undefined || stations.has(station)) out.push(this.frames[i]!);
    }
    return out;
  }

  /** Log frames from `from` to the end, as wire bytes built once for every target at `from`. */
  private sharedWire(from: number): Buffer {
    if (this.sharedHead !== this.head) {
      this.shared.clear();
      this.sharedHead = this.head;
      this.lastSharedFrom = -1;
    } else if (from === this.lastSharedFrom) return this.lastSharedWire!;
    let wire = this.shared.get(from);
    if (!wire) {
      wire = this.framing(this.frames.slice(from - this.base));
      this.shared.set(from, wire);
    }
    this.lastSharedFrom = from;
    this.lastSharedWire = wire;
    return wire;
  }
}

/** A server's websocket ping with no payload: FIN + opcode 0x9, unmasked, length 0 (RFC 6455 5.5.2). */
export const PING_WIRE = Buffer.from([0x89, 0x00]);

/** Unmasked, unfragmented websocket text frames (RFC 6455 section 5.2), back to back. */
export function wireFrames(payloads: readonly Buffer[]): Buffer {
  let size = 0;
  for (const payload of payloads) size += headerBytes(payload.length) + payload.length;
  const wire = Buffer.allocUnsafe(size);
  let offset = 0;
  for (const payload of payloads) {
    const length = payload.length;
    wire[offset++] = 0x81; // FIN + text
    if (length < 126) wire[offset++] = length;
    else if (length < 65_536) {
      wire[offset++] = 126;
      wire.writeUInt16BE(length, offset);
      offset += 2;
    } else {
      wire[offset++] = 127;
      wire.writeBigUInt64BE(BigInt(length), offset);
      offset += 8;
    }
    offset += payload.copy(wire, offset);
  }
  return wire;
}

/**
 * Batches for targets that asked for them (`batch=1`): the payloads in one text frame whose payload
 * is a JSON array of them, at most MAX_MESSAGES_PER_VIEWER_FRAME per frame; a lone payload goes as
 * it is, exactly as wireFrames sends it. Payloads are JSON texts, so joining them makes valid JSON.
 */
export function batchWireFrames(payloads: readonly Buffer[]): Buffer {
  if (payloads.length <= 1) return wireFrames(payloads);
  const batches: Buffer[] = [];
  for (let start = 0; start < payloads.length; start += MAX_MESSAGES_PER_VIEWER_FRAME) {
    const group = payloads.slice(start, start + MAX_MESSAGES_PER_VIEWER_FRAME);
    if (group.length === 1) {
      batches.push(group[0]!);
      continue;
    }
    let size = 1 + group.length; // '[', then ',' between them and ']' after the last
    for (const payload of group) size += payload.length;
    const batch = Buffer.allocUnsafe(size);
    let offset = 0;
    group.forEach((payload, index) => {
      batch[offset++] = index === 0 ? 0x5b : 0x2c; // '[' before the first, ',' before the others
      offset += payload.copy(batch, offset);
    });
    batch[offset] = 0x5d; // ']'
    batches.push(batch);
  }
  return wireFrames(batches);
}

function headerBytes(length: number): number {
  return length < 126 ? 2 : length < 65_536 ? 4 : 10;
}
