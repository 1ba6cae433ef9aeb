import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_MESSAGES_PER_VIEWER_FRAME } from '../../protocol';
import { batchWireFrames, FAN_OUT_CHUNK_VIEWERS, RollingFanOut, wireFrames, type BareWriter, type FanOutTarget } from './rollingFanOut';

interface Target extends FanOutTarget {
  name: string;
}

const target = (name: string, stations: string[] | null = null): Target => ({ name, stations: stations && new Set(stations) });
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** What the property tests do to a fan-out, in any order: joins, leaves, broadcasts, own frames, loop turns. */
type CommonOp =
  | { op: 'add'; filter: boolean }
  | { op: 'remove'; pick: number }
  | { op: 'broadcast'; station: 'a' | 'b' | undefined }
  | { op: 'send'; pick: number }
  | { op: 'turn' };
const commonOpArbs: fc.Arbitrary<CommonOp>[] = [
  fc.record({ op: fc.constant('add' as const), filter: fc.boolean() }),
  fc.record({ op: fc.constant('remove' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('broadcast' as const), station: fc.constantFrom('a' as const, 'b' as const, undefined) }),
  fc.record({ op: fc.constant('send' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('turn' as const) }),
];
const frame = (text: string) => Buffer.from(text);

/** Reads unmasked server frames back: [opcode, payload text][]. */
function readFrames(wire: Buffer): [number, string][] {
  const frames: [number, string][] = [];
  for (let offset = 0; offset < wire.length; ) {
    const opcode = wire[offset]! & 0x0f;
    let length = wire[offset + 1]! & 0x7f;
    let header = 2;
    if (length === 126) [length, header] = [wire.readUInt16BE(offset + 2), 4];
    else if (length === 127) [length, header] = [Number(wire.readBigUInt64BE(offset + 2)), 10];
    frames.push([opcode, wire.subarray(offset + header, offset + header + length).toString()]);
    offset += header + length;
  }
  return frames;
}

/**
 * The framings a fan-out can write with, and how a viewer reads each back into message texts: a
 * batch frame's array gives its elements (JSON texts, so the tests' texts are JSON strings).
 */
interface Framing {
  name: string;
  framing: (payloads: readonly Buffer[]) => Buffer;
  texts: (frameText: string) => string[];
}
const FRAMINGS: readonly [Framing, Framing] = [
  { name: 'a frame per message', framing: wireFrames, texts: (frameText: string) => [frameText] },
  {
    name: 'batches (batch=1)',
    framing: batchWireFrames,
    texts: (frameText: string) => (frameText.startsWith('[') ? (JSON.parse(frameText) as unknown[]).map((message) => JSON.stringify(message)) : [frameText]),
  },
];
const json = (text: string) => JSON.stringify(text);

/** A fan-out whose writes are recorded per target as the texts received, plus the raw writes. */
function recorder(onWrite?: (t: Target, fanOut: RollingFanOut<Target>) => void, chunkViewers?: number, framing: Framing = FRAMINGS[0]) {
  const received = new Map<string, string[]>();
  const writes: [string, Buffer][] = [];
  const fanOut: RollingFanOut<Target> = new RollingFanOut<Target>((t, wire) => {
    writes.push([t.name, wire]);
    received.set(t.name, [...(received.get(t.name) ?? []), ...readFrames(wire).flatMap(([, text]) => framing.texts(text))]);
    onWrite?.(t, fanOut);
  }, undefined, chunkViewers, undefined, framing.framing);
  const drain = async () => {
    while (fanOut.busy) await nextTurn();
  };
  return { fanOut, received, writes, drain };
}

describe('RollingFanOut', () => {
  it('writes everything broadcast in one loop turn as one write per target, built once', async () => {
    const { fanOut, writes, drain } = recorder();
    const [a, b] = [target('a'), target('b')];
    fanOut.add(a, []);
    fanOut.add(b, []);
    fanOut.broadcast(frame('{"seq":1}'));
    fanOut.broadcast(frame('{"seq":2}'));
    expect(writes).toEqual([]);
    await drain();
    expect(writes.map(([name]) => name)).toEqual(['a', 'b']);
    expect(readFrames(writes[0]![1])).toEqual([[1, '{"seq":1}'], [1, '{"seq":2}']]);
    expect(writes[1]![1]).toBe(writes[0]![1]); // the same bytes, built once
  });

  it('a heartbeat ping rides at the end of the next write: no write of its own, once per round', async () => {
    const { fanOut, writes, drain } = recorder();
    const [a, b, idle] = [target('a'), target('b'), target('idle', ['elsewhere'])];
    for (const t of [a, b, idle]) fanOut.add(t, []);
    fanOut.broadcast(frame('{"seq":1}'), 'here');
    fanOut.ping(a);
    fanOut.ping(a); // a second ping before the write adds nothing
    fanOut.ping(idle);
    await drain();
    const framesOf = (name: string) => writes.filter(([n]) => n === name).flatMap(([, wire]) => readFrames(wire));
    expect(writes.filter(([n]) => n === 'a')).toHaveLength(1);
    expect(framesOf('a')).toEqual([[1, '{"seq":1}'], [9, '']]);
    expect(framesOf('b')).toEqual([[1, '{"seq":1}']]);
    expect(framesOf('idle')).toEqual([[9, '']]); // nothing else pending for it: the ping alone
    // Pinged targets at one position share one buffer with the ping appended, built once.
    fanOut.broadcast(frame('{"seq":2}'));
    fanOut.ping(a);
    fanOut.ping(b);
    await drain();
    const [second, third] = writes.slice(-3).filter(([n]) => n === 'a' || n === 'b').map(([, wire]) => wire);
    expect(readFrames(second!)).toEqual([[1, '{"seq":2}'], [9, '']]);
    expect(third).toBe(second);
  });

  it('a target with a station filter gets its stations and the messages for everyone', async () => {
    const { fanOut, received, drain } = recorder();
    fanOut.add(target('all'), []);
    fanOut.add(target('tokyo', ['tokyo']), []);
    fanOut.broadcast(frame('chicago'), 'chicago');
    fanOut.broadcast(frame('tokyo'), 'tokyo');
    fanOut.broadcast(frame('presence'));
    await drain();
    expect(received.get('all')).toEqual(['chicago', 'tokyo', 'presence']);
    expect(received.get('tokyo')).toEqual(['tokyo', 'presence']);
  });

  it('a new target gets its own frames first, then only what is broadcast after it joined', async () => {
    const { fanOut, received, drain } = recorder();
    fanOut.add(target('early'), []);
    fanOut.broadcast(frame('before'));
    fanOut.add(target('late'), [frame('hello'), frame('replay')]);
    fanOut.broadcast(frame('after'));
    await drain();
    expect(received.get('early')).toEqual(['before', 'after']);
    expect(received.get('late')).toEqual(['hello', 'replay', 'after']);
  });

  it('a frame sent to one target keeps its place among the broadcasts', async () => {
    const { fanOut, received, drain } = recorder();
    const only = target('only');
    fanOut.add(only, []);
    fanOut.broadcast(frame('1'));
    fanOut.send(only, frame('just you'));
    fanOut.broadcast(frame('2'));
    await drain();
    expect(received.get('only')).toEqual(['1', 'just you', '2']);
  });

  it('a removed target gets nothing more', async () => {
    const { fanOut, received, drain } = recorder();
    const gone = target('gone');
    fanOut.add(gone, [frame('hello')]);
    fanOut.broadcast(frame('x'));
    fanOut.remove(gone);
    await drain();
    expect(received.has('gone')).toBe(false);
    expect(fanOut.size).toBe(0);
  });

  it('yields to the event loop every chunk, and a frame broadcast mid-sweep reaches everyone once, in order', async () => {
    const { fanOut, received, drain } = recorder();
    const count = FAN_OUT_CHUNK_VIEWERS * 3;
    for (let i = 0; i < count; i++) fanOut.add(target(`v${i}`), []);
    fanOut.broadcast(frame('first'));
    await nextTurn();
    // One turn wrote one chunk: the rest of the event loop (device frames, /healthz) runs between chunks.
    expect(received.size).toBe(FAN_OUT_CHUNK_VIEWERS);
    fanOut.broadcast(frame('second'));
    await drain();
    expect(received.size).toBe(count);
    for (const texts of received.values()) expect(texts).toEqual(['first', 'second']);
    // Viewers the sweep had not reached got both frames in one write.
    expect(received.get(`v${count - 1}`)).toEqual(['first', 'second']);
  });

  it('a target removed by its own write (a slow viewer cut) does not disturb the sweep', async () => {
    const { fanOut, received, drain } = recorder((t, f) => {
      if (t.name === 'v1') f.remove(t);
    });
    const targets = Array.from({ length: FAN_OUT_CHUNK_VIEWERS + 10 }, (_, i) => target(`v${i}`));
    for (const t of targets) fanOut.add(t, []);
    fanOut.broadcast(frame('a'));
    await nextTurn();
    fanOut.broadcast(frame('b'));
    await drain();
    expect(received.get('v1')).toEqual(['a']);
    for (const t of targets.filter((t) => t.name !== 'v1')) expect(received.get(t.name)).toEqual(['a', 'b']);
  });

  it('reports each broadcast as written once every target has it, not before', async () => {
    const received = new Map<string, string[]>();
    const broadcasts: string[] = [];
    const observedWhenComplete: boolean[] = [];
    const targets = Array.from({ length: 6 }, (_, i) => target(`v${i}`));
    const fanOut = new RollingFanOut<Target>(
      (t, wire) => received.set(t.name, [...(received.get(t.name) ?? []), ...readFrames(wire).map(([, text]) => text)]),
      () => {
        const text = broadcasts[observedWhenComplete.length]!;
        observedWhenComplete.push(targets.every((t) => received.get(t.name)?.includes(text)));
      },
      2,
    );
    for (const t of targets) fanOut.add(t, []);
    broadcasts.push('a');
    fanOut.broadcast(frame('a'));
    await nextTurn(); // the sweep wrote v0, v1
    broadcasts.push('b'); // lands mid-sweep: v2..v5 get it now, v0 and v1 in the next sweep
    fanOut.broadcast(frame('b'));
    while (fanOut.busy) await nextTurn();
    expect(observedWhenComplete).toEqual([true, true]);
  });

  it('flushAll writes everything pending at once (before a shutdown close frame)', () => {
    const { fanOut, received } = recorder();
    fanOut.add(target('a'), [frame('hello')]);
    fanOut.broadcast(frame('last strike'));
    fanOut.flushAll();
    expect(received.get('a')).toEqual(['hello', 'last strike']);
  });

  it('keeps no frame once every target has it (memory stays flat through a long night)', async () => {
    const { fanOut, drain } = recorder();
    fanOut.add(target('a'), []);
    for (let i = 0; i < 1000; i++) {
      fanOut.broadcast(frame(`${i}`));
      if (i % 10 === 0) await nextTurn();
    }
    await drain();
    expect((fanOut as unknown as { frames: Buffer[] }).frames.length).toBe(0);
  });

  it.each(FRAMINGS)('any interleaving of joins, leaves, broadcasts and turns: each target gets exactly its frames, in order ($name)', async (framing) => {
    const opArb: fc.Arbitrary<CommonOp> = fc.oneof(...commonOpArbs);
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 80 }), fc.integer({ min: 1, max: 4 }), async (ops, chunk) => {
        // A small chunk so sweeps really span turns.
        const { fanOut, received, drain } = recorder(undefined, chunk, framing);
        const expected = new Map<string, string[]>();
        const receivedAtRemoval = new Map<string, number>();
        const live: Target[] = [];
        let n = 0;
        for (const op of ops) {
          if (op.op === 'add') {
            const t = target(`t${n++}`, op.filter ? ['a'] : null);
            live.push(t);
            expected.set(t.name, [json(`hello ${t.name}`)]);
            fanOut.add(t, [frame(json(`hello ${t.name}`))]);
          } else if (op.op === 'remove' && live.length > 0) {
            const [t] = live.splice(op.pick % live.length, 1);
            fanOut.remove(t!);
            receivedAtRemoval.set(t!.name, received.get(t!.name)?.length ?? 0);
          } else if (op.op === 'broadcast') {
            const text = json(`m${n++}`);
            for (const t of live) if (!t.stations || op.station === undefined || t.stations.has(op.station)) expected.get(t.name)!.push(text);
            fanOut.broadcast(frame(text), op.station);
          } else if (op.op === 'send' && live.length > 0) {
            const t = live[op.pick % live.length]!;
            const text = json(`own${n++}`);
            expected.get(t.name)!.push(text);
            fanOut.send(t, frame(text));
          } else if (op.op === 'turn') await nextTurn();
        }
        await drain();
        for (const [name, texts] of expected) {
          const got = received.get(name) ?? [];
          // A removed target loses what was not written yet, and gets nothing after it left.
          const removedAt = receivedAtRemoval.get(name);
          if (removedAt !== undefined) expect(got.length, name).toBe(removedAt);
          expect(got, name).toEqual(removedAt === undefined ? texts : texts.slice(0, removedAt));
        }
      }),
      { numRuns: 200 },
    );
  });
});

/**
 * A fan-out with bare writes (BareWriter, as native/viewerWrite.c does them, over fake descriptors):
 * every target's bytes, bare or through `write`, land in one stream per target, read back at the end.
 */
function bareRecorder(chunkViewers?: number, framing: Framing = FRAMINGS[0]) {
  const streams = new Map<string, Buffer[]>();
  const byFd = new Map<number, Target>();
  /** The next bare write to this descriptor takes only this many bytes (then the rest goes through `write`). */
  const shortNext = new Map<number, number>();
  const viaWrite: string[] = [];
  const append = (t: Target, bytes: Buffer) => streams.set(t.name, [...(streams.get(t.name) ?? []), bytes]);
  const one = (fd: number, wire: Buffer): number => {
    const take = Math.min(shortNext.get(fd) ?? wire.length, wire.length);
    shortNext.delete(fd);
    append(byFd.get(fd)!, wire.subarray(0, take));
    return take;
  };
  const bareWriter: BareWriter = {
    one,
    sweep(fds, sent, start, end, from, head, wire, out) {
      let index = start;
      let whole = 0;
      let short = 0;
      for (; index < end; index++) {
        if (fds[index]! < 0 || (sent[index] !== from && sent[index] !== head)) break;
        if (sent[index] === head) continue;
        const written = one(fds[index]!, wire);
        if (written === wire.length) {
          sent[index] = head;
          whole++;
          continue;
        }
        out[2 + 2 * short] = index;
        out[3 + 2 * short++] = written;
      }
      out[0] = whole;
      out[1] = short;
      return index;
    },
  };
  const fanOut = new RollingFanOut<Target>(
    (t, wire, bareWritten) => {
      viaWrite.push(t.name);
      append(t, bareWritten === undefined ? wire : wire.subarray(bareWritten));
    },
    undefined,
    chunkViewers,
    bareWriter,
    framing.framing,
  );
  const arm = (t: Target, fd: number) => {
    byFd.set(fd, t);
    fanOut.armed(t, fd);
  };
  const received = (name: string) => readFrames(Buffer.concat(streams.get(name) ?? [])).flatMap(([, text]) => framing.texts(text));
  const drain = async () => {
    while (fanOut.busy) await nextTurn();
  };
  return { fanOut, arm, shortNext, viaWrite, received, drain };
}

describe('RollingFanOut with bare writes (armed targets)', () => {
  it('an armed target gets its log frames bare from the sweep, unarmed and filtered ones through write', async () => {
    const { fanOut, arm, viaWrite, received, drain } = bareRecorder();
    const [armed, plain, filtered] = [target('armed'), target('plain'), target('filtered', ['a'])];
    for (const t of [armed, plain, filtered]) fanOut.add(t, []);
    arm(armed, 7);
    arm(filtered, 8); // a filtered target's frames differ from the shared log: never bare
    fanOut.broadcast(frame('m1'), 'a');
    fanOut.broadcast(frame('m2'), 'b');
    await drain();
    expect(fanOut.bareWriteCounts.whole).toBe(1);
    expect(viaWrite.sort()).toEqual(['filtered', 'plain']);
    expect(received('armed')).toEqual(['m1', 'm2']);
    expect(received('plain')).toEqual(['m1', 'm2']);
    expect(received('filtered')).toEqual(['m1']);
  });

  it('own frames and pings of an armed target go through write, in order, then it is bare again', async () => {
    const { fanOut, arm, viaWrite, received, drain } = bareRecorder();
    const a = target('a');
    fanOut.add(a, [frame('hello')]);
    arm(a, 3);
    fanOut.broadcast(frame('m1'));
    await drain();
    fanOut.send(a, frame('own'));
    fanOut.broadcast(frame('m2'));
    await drain();
    fanOut.broadcast(frame('m3'));
    await drain();
    expect(viaWrite).toEqual(['a', 'a']); // hello + m1, then own + m2
    expect(fanOut.bareWriteCounts.whole).toBe(1); // m3
    expect(received('a')).toEqual(['hello', 'm1', 'own', 'm2', 'm3']);
  });

  it('a bare write the kernel takes only part of hands the rest to write, and the target stays unarmed', async () => {
    const { fanOut, arm, shortNext, viaWrite, received, drain } = bareRecorder();
    const [a, b] = [target('a'), target('b')];
    fanOut.add(a, []);
    fanOut.add(b, []);
    arm(a, 1);
    arm(b, 2);
    shortNext.set(1, 3); // 3 bytes, mid-frame
    fanOut.broadcast(frame('first'));
    await drain();
    fanOut.broadcast(frame('second'));
    await drain();
    expect(viaWrite).toEqual(['a', 'a']); // the rest of 'first', then 'second' (its owner re-arms it, not the fan-out)
    expect(received('a')).toEqual(['first', 'second']);
    expect(received('b')).toEqual(['first', 'second']);
  });

  it.each(FRAMINGS)('any interleaving with arming, disarming and partial bare writes: each target gets exactly its frames, in order ($name)', async (framing) => {
    type Op =
      | CommonOp
      | { op: 'ping'; pick: number }
      | { op: 'arm'; pick: number }
      | { op: 'disarm'; pick: number }
      | { op: 'short'; pick: number; bytes: number };
    const opArb: fc.Arbitrary<Op> = fc.oneof<fc.Arbitrary<Op>[]>(
      ...commonOpArbs,
      fc.record({ op: fc.constant('ping' as const), pick: fc.nat() }),
      fc.record({ op: fc.constant('arm' as const), pick: fc.nat() }),
      fc.record({ op: fc.constant('disarm' as const), pick: fc.nat() }),
      fc.record({ op: fc.constant('short' as const), pick: fc.nat(), bytes: fc.integer({ min: 0, max: 12 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 80 }), fc.integer({ min: 1, max: 4 }), async (ops, chunk) => {
        const { fanOut, arm, shortNext, received, drain } = bareRecorder(chunk, framing);
        const expected = new Map<string, string[]>();
        const removed = new Set<string>();
        const live: Target[] = [];
        const fds = new Map<Target, number>();
        let n = 0;
        for (const op of ops) {
          const picked = 'pick' in op && live.length > 0 ? live[op.pick % live.length]! : undefined;
          if (op.op === 'add') {
            const t = target(`t${n}`, op.filter ? ['a'] : null);
            fds.set(t, n++);
            live.push(t);
            expected.set(t.name, [json(`hello ${t.name}`)]);
            fanOut.add(t, [frame(json(`hello ${t.name}`))]);
          } else if (op.op === 'remove' && picked) {
            live.splice(live.indexOf(picked), 1);
            fanOut.remove(picked);
            removed.add(picked.name);
          } else if (op.op === 'broadcast') {
            const text = json(`m${n++}`);
            for (const t of live) if (!t.stations || op.station === undefined || t.stations.has(op.station)) expected.get(t.name)!.push(text);
            fanOut.broadcast(frame(text), op.station);
          } else if (op.op === 'send' && picked) {
            const text = json(`own${n++}`);
            expected.get(picked.name)!.push(text);
            fanOut.send(picked, frame(text));
          } else if (op.op === 'ping' && picked) fanOut.ping(picked);
          else if (op.op === 'arm' && picked) arm(picked, fds.get(picked)!);
          else if (op.op === 'disarm' && picked) fanOut.armed(picked, -1);
          else if (op.op === 'short' && picked) shortNext.set(fds.get(picked)!, op.bytes);
          else if (op.op === 'turn') await nextTurn();
        }
        await drain();
        for (const [name, texts] of expected) {
          const got = received(name).filter((text) => text !== ''); // pings read back as empty payloads
          // A removed target loses what was not written yet, and gets nothing after it left.
          if (removed.has(name)) expect(got, name).toEqual(texts.slice(0, got.length));
          else expect(got, name).toEqual(texts);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('wireFrames', () => {
  it('uses the 7-bit, 16-bit and 64-bit length forms of RFC 6455', () => {
    const sizes = [0, 125, 126, 65_535, 65_536];
    const payloads = sizes.map((size) => Buffer.alloc(size, 0x61));
    expect(readFrames(wireFrames(payloads)).map(([opcode, text]) => [opcode, text.length])).toEqual(sizes.map((size) => [1, size]));
  });
});

describe('batchWireFrames (viewers that asked with batch=1)', () => {
  it('sends what one write carries as one text frame holding a JSON array, a lone message as it is', () => {
    const [a, b, c] = ['{"type":"strike","seq":1}', '{"type":"strike","seq":2}', '{"type":"presence","viewers":3}'];
    expect(readFrames(batchWireFrames([frame(a), frame(b), frame(c)]))).toEqual([[1, `[${a},${b},${c}]`]]);
    expect(readFrames(batchWireFrames([frame(a)]))).toEqual([[1, a]]);
    expect(batchWireFrames([]).length).toBe(0);
  });

  it(`puts at most MAX_MESSAGES_PER_VIEWER_FRAME (${MAX_MESSAGES_PER_VIEWER_FRAME}) messages in a frame, in order`, () => {
    const count = 2 * MAX_MESSAGES_PER_VIEWER_FRAME + 1;
    const payloads = Array.from({ length: count }, (_, seq) => frame(JSON.stringify({ seq })));
    const frames = readFrames(batchWireFrames(payloads));
    expect(frames.map(([, text]) => (text.startsWith('[') ? (JSON.parse(text) as unknown[]).length : 1))).toEqual([MAX_MESSAGES_PER_VIEWER_FRAME, MAX_MESSAGES_PER_VIEWER_FRAME, 1]);
    const seqs = frames.flatMap(([, text]) => FRAMINGS[1].texts(text)).map((text) => (JSON.parse(text) as { seq: number }).seq);
    expect(seqs).toEqual(Array.from({ length: count }, (_, seq) => seq));
  });

  it('a fan-out writing batches sends everything one sweep carries to a viewer as one websocket message', async () => {
    const { fanOut, writes, drain } = recorder(undefined, undefined, FRAMINGS[1]);
    fanOut.add(target('a'), [frame('{"type":"hello"}')]);
    fanOut.broadcast(frame('{"seq":1}'));
    fanOut.broadcast(frame('{"seq":2}'));
    await drain();
    expect(writes.map(([, wire]) => readFrames(wire))).toEqual([[[1, '[{"type":"hello"},{"seq":1},{"seq":2}]']]]);
  });
});
