import { describe, expect, it } from 'vitest';
import type { RingCommand, StationConfig, StrikerLimits, TouchMessage } from '../../protocol';
import type { TouchListener } from '../hub';
import { StationRegistry } from '../stations/stationRegistry';
import { StrikerForwarder, type StrikerDevices } from './strikerForwarder';

const striker = { chimes: [0, 1], maxPerMinute: 10, minGapMs: 1_000 };
const station = (id: string, extra: Partial<StationConfig> = {}): StationConfig => ({
  id,
  name: id,
  lat: 0,
  lon: 0,
  chimes: 6,
  tokenSha256: '0'.repeat(63) + id.length,
  ...extra,
});

function setup(connected: boolean, declared: StrikerLimits | undefined) {
  const registry = new StationRegistry([station('oslo', { striker }), station('lima')]);
  let listener: TouchListener | undefined;
  const hub = { onTouch: (l: TouchListener) => ((listener = l), () => (listener = undefined)) };
  const rings: [string, RingCommand][] = [];
  const devices: StrikerDevices = {
    isConnected: () => connected,
    strikerOf: () => declared,
    sendRing: (id, ring) => (rings.push([id, ring]), true),
  };
  let now = 10_000;
  const forwarder = new StrikerForwarder(registry, hub, devices, () => now);
  const touch = (stationId: string, seq: number, t = now): void =>
    listener!({ type: 'touch', seq, station: stationId, chime: 0, v: 0.5, t } satisfies TouchMessage, 'ref');
  return { forwarder, rings, touch, advance: (ms: number) => (now += ms), stop: () => forwarder.dispose(), listening: () => listener !== undefined };
}

describe('StrikerForwarder (fake clock)', () => {
  it('rings the device of a striker station within its gap, naming the touch seq', () => {
    const { forwarder, rings, touch, advance } = setup(true, striker);
    touch('oslo', 7);
    touch('oslo', 8);
    advance(1_000);
    touch('oslo', 9);
    touch('lima', 10); // no striker in the stations file: not counted
    expect(rings).toEqual([
      ['oslo', { type: 'ring', chime: 0, v: 0.5, id: 7 }],
      ['oslo', { type: 'ring', chime: 0, v: 0.5, id: 9 }],
    ]);
    expect(forwarder.stats).toMatchObject({ sent: 2, refused: { gap: 1, not_declared: 0 } });
  });

  it('rings nothing for touches delivered late (history replayed at start, catch-up after an outage)', () => {
    const { forwarder, rings, touch } = setup(true, striker);
    touch('oslo', 1, 10_000 - 60_000);
    expect(rings).toEqual([]);
    expect(forwarder.stats.refused.late).toBe(1);
  });

  it('leaves a station whose device is on another relay to that relay, and stops listening when disposed', () => {
    const { forwarder, rings, touch, stop, listening } = setup(false, undefined);
    touch('oslo', 1);
    expect(rings).toEqual([]);
    expect(forwarder.stats.refused.not_declared).toBe(0);
    stop();
    expect(listening()).toBe(false);
  });
});
