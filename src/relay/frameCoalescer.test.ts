import { describe, expect, it } from 'vitest';
import { FrameCoalescer, wireFrames, type CoalescerTarget } from './frameCoalescer';

const target = (name: string): CoalescerTarget & { name: string } => ({ name, pending: undefined, pendingIsWholeBatch: false });
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

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

describe('FrameCoalescer', () => {
  it('writes everything queued in one loop turn as one write per target, in order', async () => {
    const writes: [string, Buffer][] = [];
    const coalescer = new FrameCoalescer<ReturnType<typeof target>>((t, wire) => writes.push([t.name, wire]));
    const [a, b] = [target('a'), target('b')];
    const [one, two] = [Buffer.from('{"seq":1}'), Buffer.from('{"seq":2}')];
    for (const frame of [one, two]) for (const t of [a, b]) coalescer.enqueue(t, frame);
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes.map(([name]) => name)).toEqual(['a', 'b']);
    expect(readFrames(writes[0]![1])).toEqual([[1, '{"seq":1}'], [1, '{"seq":2}']]);
    expect(writes[1]![1]).toBe(writes[0]![1]); // the same bytes, built once
  });

  it('a target that got only some frames (a station filter) gets exactly those', async () => {
    const writes = new Map<string, Buffer>();
    const coalescer = new FrameCoalescer<ReturnType<typeof target>>((t, wire) => writes.set(t.name, wire));
    const [all, filtered] = [target('all'), target('filtered')];
    const [chicago, tokyo] = [Buffer.from('chicago'), Buffer.from('tokyo')];
    coalescer.enqueue(all, chicago);
    coalescer.enqueue(all, tokyo);
    coalescer.enqueue(filtered, tokyo);
    await nextTurn();
    expect(readFrames(writes.get('all')!).map(([, text]) => text)).toEqual(['chicago', 'tokyo']);
    expect(readFrames(writes.get('filtered')!).map(([, text]) => text)).toEqual(['tokyo']);
  });

  it('a dropped target gets nothing', async () => {
    const writes: string[] = [];
    const coalescer = new FrameCoalescer<ReturnType<typeof target>>((t) => writes.push(t.name));
    const gone = target('gone');
    coalescer.enqueue(gone, Buffer.from('x'));
    coalescer.drop(gone);
    await nextTurn();
    expect(writes).toEqual([]);
  });
});

describe('wireFrames', () => {
  it('uses the 7-bit, 16-bit and 64-bit length forms of RFC 6455', () => {
    const sizes = [0, 125, 126, 65_535, 65_536];
    const payloads = sizes.map((size) => Buffer.alloc(size, 0x61));
    expect(readFrames(wireFrames(payloads)).map(([opcode, text]) => [opcode, text.length])).toEqual(sizes.map((size) => [1, size]));
  });
});
