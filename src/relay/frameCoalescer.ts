// Fan-out writes, coalesced. Every viewer gets the same bytes, and a server frame is unmasked, so
// the websocket frames of one flush are built once and written to every socket in a single write:
// the cost per viewer is one syscall per flush, not one per strike. A flush runs as soon as the
// event loop turns (no added delay when idle); while one runs, new strikes queue up and go out
// together in the next, so a busy relay batches more instead of falling further behind.

export interface CoalescerTarget {
  /** Frames queued for this target since the last flush (payloads, in order). */
  pending: Buffer[] | undefined;
  /** Whether `pending` is exactly the flush's whole batch so far (then it gets the shared bytes). */
  pendingIsWholeBatch: boolean;
}

export class FrameCoalescer<T extends CoalescerTarget> {
  private readonly targets = new Set<T>();
  /** Distinct payloads queued since the last flush, in order. */
  private batch: Buffer[] = [];
  private firstQueuedAt = 0;
  private scheduled = false;

  constructor(
    private readonly write: (target: T, wire: Buffer) => void,
    /** Observes, per flush, ms from the first frame queued to every socket written. */
    private readonly onFlushed?: (queuedToWrittenMs: number) => void,
  ) {}

  enqueue(target: T, payload: Buffer): void {
    if (this.batch.at(-1) !== payload) this.batch.push(payload);
    if (target.pending) target.pending.push(payload);
    else {
      target.pending = [payload];
      target.pendingIsWholeBatch = true;
      this.targets.add(target);
    }
    const index = target.pending.length - 1;
    if (target.pendingIsWholeBatch && (index >= this.batch.length || this.batch[index] !== payload)) target.pendingIsWholeBatch = false;
    if (!this.scheduled) {
      this.scheduled = true;
      this.firstQueuedAt = performance.now();
      setImmediate(() => this.flush());
    }
  }

  /** Forgets a target's queued frames (it is closing). */
  drop(target: T): void {
    target.pending = undefined;
    this.targets.delete(target);
  }

  flush(): void {
    this.scheduled = false;
    if (this.targets.size === 0) return;
    const batch = this.batch;
    const targets = [...this.targets];
    this.batch = [];
    this.targets.clear();
    // The common case: a viewer got every frame of the batch, so its bytes are the shared ones.
    let shared: Buffer | undefined;
    for (const target of targets) {
      const frames = target.pending!;
      target.pending = undefined;
      const wire = target.pendingIsWholeBatch && frames.length === batch.length ? (shared ??= wireFrames(batch)) : wireFrames(frames);
      this.write(target, wire);
    }
    this.onFlushed?.(performance.now() - this.firstQueuedAt);
  }
}

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
