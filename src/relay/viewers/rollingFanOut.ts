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

/** Viewers written per event-loop turn: about 5 ms of writes on loopback, then I/O gets a turn. */
export const FAN_OUT_CHUNK_VIEWERS = 500;

export interface FanOutTarget {
  /** Station ids this target wants, or null for all. */
  readonly stations: ReadonlySet<string> | null;
}

interface Slot<T> {
  target: T;
  /** Log position (absolute) up to which this target has been written. */
  sentUpTo: number;
  /** Frames for this target alone (hello, replay), due before log frames after `sentUpTo`. */
  own: Buffer[] | undefined;
  /** A heartbeat ping rides at the end of this target's next write. */
  pingDue: boolean;
  index: number;
}

export class RollingFanOut<T extends FanOutTarget> {
  private readonly slots = new Map<T, Slot<T>>();
  /** Sweep order; removed slots are left as holes while a sweep runs and compacted after it. */
  private order: (Slot<T> | undefined)[] = [];
  private holes = 0;
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
    /** Writes bytes to a target; it may remove the target (a slow viewer cut) while called. */
    private readonly write: (target: T, wire: Buffer) => void,
    /** Observes, per broadcast, ms from its append to its being written to every target. */
    private readonly onBroadcastWritten?: (appendedToWrittenMs: number) => void,
    private readonly chunkViewers = FAN_OUT_CHUNK_VIEWERS,
  ) {}

  get size(): number {
    return this.slots.size;
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
    const slot: Slot<T> = { target, sentUpTo: this.head, own: own.length > 0 ? [...own] : undefined, pingDue: false, index: this.order.length };
    this.slots.set(target, slot);
    this.order.push(slot);
    if (slot.own) this.ownQueued();
  }

  /** Forgets a target: it gets nothing more. */
  remove(target: T): void {
    const slot = this.slots.get(target);
    if (!slot) return;
    this.slots.delete(target);
    if (this.sweeping) {
      this.order[slot.index] = undefined;
      this.holes++;
      return;
    }
    const last = this.order.pop()!;
    if (last !== slot) {
      this.order[slot.index] = last;
      last.index = slot.index;
    }
  }

  /** Sends one frame to every target whose filter admits `stationId` (undefined: to all). */
  broadcast(frame: Buffer, stationId?: string): void {
    this.frames.push(frame);
    this.frameStations.push(stationId);
    this.startSweep();
    if (this.onBroadcastWritten) this.inFlight.push({ at: performance.now(), sweep: this.sweepNumber, cursor: this.cursor });
  }

  /** Sends one frame to one target, after everything broadcast before it. */
  send(target: T, frame: Buffer): void {
    const slot = this.slots.get(target);
    if (!slot) return;
    if (slot.sentUpTo < this.head) {
      slot.own = this.pendingFrames(slot);
      slot.sentUpTo = this.head;
    }
    (slot.own ??= []).push(frame);
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
    this.ownQueued();
  }

  /** Writes everything pending to every target now (before closing). */
  flushAll(): void {
    // A copy: a write may remove a target (and reorder `order` when no sweep runs).
    for (const slot of [...this.order]) if (slot && this.slots.get(slot.target) === slot) this.visit(slot);
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
    for (; this.cursor < end; this.cursor++) {
      const slot = this.order[this.cursor];
      if (slot) this.visit(slot);
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
    if (this.holes > 0) {
      const kept = this.order.filter((slot): slot is Slot<T> => slot !== undefined);
      kept.forEach((slot, index) => (slot.index = index));
      this.order = kept;
      this.holes = 0;
    }
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

  private visit(slot: Slot<T>): void {
    if (!slot.own && !slot.pingDue && slot.sentUpTo === this.head) return;
    let wire = !slot.own && slot.target.stations === null ? this.sharedWire(slot.sentUpTo) : wireFrames(this.pendingFrames(slot));
    if (slot.pingDue) {
      slot.pingDue = false;
      wire = this.withPing(wire);
    }
    slot.own = undefined;
    slot.sentUpTo = this.head;
    if (wire.length > 0) this.write(slot.target, wire);
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
    for (let i = slot.sentUpTo - this.base; i < this.frames.length; i++) {
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
      wire = wireFrames(this.frames.slice(from - this.base));
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

function headerBytes(length: number): number {
  return length < 126 ? 2 : length < 65_536 ? 4 : 10;
}
