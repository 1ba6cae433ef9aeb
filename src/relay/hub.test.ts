import { afterEach, describe, expect, it, vi } from 'vitest';
import { HEARTBEAT_INTERVAL_MS, PRESENCE_MIN_INTERVAL_MS, PROTOCOL_VERSION, type StationConfig, type StrikeMessage, type TouchMessage } from '../protocol';
import { StrikeHub, type AcceptedStrike, type HubOptions, type SharedNumbering, type ViewerFanOut } from './hub';
import { StationRegistry } from './stations/stationRegistry';
import { sha256Hex } from './stations/tokens';

const station = (id: string): StationConfig => ({ id, name: id, lat: 0, lon: 0, chimes: 6, tokenSha256: sha256Hex(`token-${id}`) });

/** Viewers as the hub sees them: every frame broadcast, parsed, with the station it was for. */
class RecordingViewers implements ViewerFanOut {
  count = 0;
  readonly frames: { message: Record<string, unknown>; stationId: string | undefined }[] = [];
  broadcast(frame: Buffer, stationId?: string): void {
    this.frames.push({ message: JSON.parse(frame.toString()) as Record<string, unknown>, stationId });
  }
  ofType(type: string): Record<string, unknown>[] {
    return this.frames.map((f) => f.message).filter((m) => m.type === type);
  }
}

const hubs: StrikeHub[] = [];
afterEach(() => {
  for (const hub of hubs.splice(0)) hub.close();
  vi.useRealTimers();
});

function hubWith(options: HubOptions = {}, stations = [station('oslo'), station('lima')]) {
  const registry = new StationRegistry(stations);
  const hub = new StrikeHub(registry, { epoch: 'epoch-a', now: () => 1_000, ...options });
  hubs.push(hub);
  const viewers = new RecordingViewers();
  hub.attachViewers(viewers);
  return { hub, registry, viewers };
}

const strike = (chime: number): AcceptedStrike => ({ chime, v: 0.5, t: 100 + chime });
const decode = (frames: Buffer[]) => frames.map((frame) => JSON.parse(frame.toString()) as StrikeMessage);

describe('StrikeHub numbering', () => {
  it('numbers published strikes 1, 2, 3 in the order given and broadcasts each once, for its station', () => {
    const { hub, viewers } = hubWith();
    hub.publish('oslo', [strike(1), strike(2)]);
    hub.publish('lima', [strike(3)]);
    expect(hub.seq).toBe(3);
    expect(viewers.frames).toEqual([
      { message: { type: 'strike', seq: 1, station: 'oslo', chime: 1, v: 0.5, t: 101 }, stationId: 'oslo' },
      { message: { type: 'strike', seq: 2, station: 'oslo', chime: 2, v: 0.5, t: 102 }, stationId: 'oslo' },
      { message: { type: 'strike', seq: 3, station: 'lima', chime: 3, v: 0.5, t: 103 }, stationId: 'lima' },
    ]);
    expect(hub.stats).toEqual({ strikesAccepted: 3, touchesDelivered: 0, framesBroadcast: 3 });
  });

  it('with shared numbering, publish only hands strikes over; deliver takes the seq it is given', () => {
    const published: string[] = [];
    const shared: SharedNumbering = { publish: (id, strikes) => published.push(`${id}:${strikes.length}`), viewerCount: (local) => local + 40 };
    const { hub, viewers } = hubWith({ shared });
    hub.publish('oslo', [strike(1), strike(2)]);
    expect(published).toEqual(['oslo:2']);
    expect(viewers.frames).toEqual([]);
    hub.deliver(41, 'oslo', strike(1));
    expect(hub.seq).toBe(41);
    expect(viewers.ofType('strike')).toEqual([{ type: 'strike', seq: 41, station: 'oslo', chime: 1, v: 0.5, t: 101 }]);
  });

  it('hands the recorder every delivered strike with the very frame viewers get', () => {
    const recorded: { message: StrikeMessage | TouchMessage; frame: string }[] = [];
    const { hub } = hubWith({ recorder: { record: (message, frame) => recorded.push({ message, frame: frame.toString() }) } });
    hub.publish('oslo', [strike(4)]);
    expect(recorded).toEqual([
      { message: { type: 'strike', seq: 1, station: 'oslo', chime: 4, v: 0.5, t: 104 }, frame: '{"type":"strike","seq":1,"station":"oslo","chime":4,"v":0.5,"t":104}' },
    ]);
  });
});

describe('StrikeHub touches', () => {
  it('numbers a touch in the strikes\' sequence, broadcasts it as a touch and tells touch listeners its ref', () => {
    const heard: [number, string][] = [];
    const { hub, viewers } = hubWith();
    hub.onTouch((touch, ref) => heard.push([touch.seq, ref]));
    hub.publish('oslo', [strike(1), { chime: 2, v: 0.8, t: 200, touchRef: 'r1' }, strike(3)]);
    expect(viewers.frames.map((f) => f.message.type)).toEqual(['strike', 'touch', 'strike']);
    expect(viewers.ofType('touch')).toEqual([{ type: 'touch', seq: 2, station: 'oslo', chime: 2, v: 0.8, t: 200 }]);
    expect(heard).toEqual([[2, 'r1']]);
    expect(hub.stats).toMatchObject({ strikesAccepted: 2, touchesDelivered: 1 });
  });

  it('resume replays touches among the strikes', () => {
    const { hub } = hubWith();
    hub.publish('oslo', [strike(1), { chime: 2, v: 1, t: 200, touchRef: 'r' }]);
    const { replay } = hub.greet(null, { since: 0, epoch: 'epoch-a' });
    expect(decode(replay).map((m) => m.type)).toEqual(['strike', 'touch']);
  });

  it('adds the visitor count to presence once a source is attached', () => {
    vi.useFakeTimers();
    const { hub, viewers } = hubWith();
    hub.attachVisitorCount(() => 3);
    vi.advanceTimersByTime(HEARTBEAT_INTERVAL_MS);
    expect(viewers.ofType('presence').at(-1)).toEqual({ type: 'presence', viewers: 0, visitors: 3 });
  });
});

describe('StrikeHub greeting and resume', () => {
  it('hello names protocol, epoch, seq, clock, the stations asked for, and counts the new viewer', () => {
    const { hub, viewers } = hubWith({ shared: { publish: () => undefined, viewerCount: (local) => local + 10 } });
    viewers.count = 2;
    hub.deliver(5, 'oslo', strike(1));
    const { hello, replay } = hub.greet(new Set(['lima']), {});
    expect(JSON.parse(hello.toString())).toEqual({
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      epoch: 'epoch-a',
      seq: 5,
      now: 1_000,
      stations: [{ id: 'lima', name: 'lima', lat: 0, lon: 0, chimes: 6, online: false, lastSeen: null }],
      viewers: 13,
    });
    expect(replay).toEqual([]);
  });

  it('resume delivers exactly the missed strikes, of the stations asked for', () => {
    const { hub } = hubWith();
    for (let i = 1; i <= 6; i++) hub.publish(i % 2 ? 'oslo' : 'lima', [strike(i)]);
    expect(decode(hub.greet(null, { since: 3, epoch: 'epoch-a' }).replay).map((s) => s.seq)).toEqual([4, 5, 6]);
    expect(decode(hub.greet(new Set(['oslo']), { since: 0, epoch: 'epoch-a' }).replay).map((s) => s.seq)).toEqual([1, 3, 5]);
    const upToDate = hub.greet(null, { since: 6, epoch: 'epoch-a' });
    expect(upToDate.replay).toEqual([]);
    expect(JSON.parse(upToDate.hello.toString())).not.toHaveProperty('gap');
  });

  it('resume within the history window replays it all; beyond it, another epoch or a future seq is a gap', () => {
    const { hub } = hubWith({ historySize: 4 });
    for (let i = 1; i <= 10; i++) hub.publish('oslo', [strike(i)]);
    // Kept: 7..10. since=6 needs exactly those.
    expect(decode(hub.greet(null, { since: 6, epoch: 'epoch-a' }).replay).map((s) => s.seq)).toEqual([7, 8, 9, 10]);
    for (const resume of [{ since: 5, epoch: 'epoch-a' }, { since: 8, epoch: 'epoch-b' }, { since: 11, epoch: 'epoch-a' }, { since: -1, epoch: 'epoch-a' }]) {
      const { hello, replay } = hub.greet(null, resume);
      expect(replay, JSON.stringify(resume)).toEqual([]);
      expect(JSON.parse(hello.toString()), JSON.stringify(resume)).toMatchObject({ gap: true, seq: 10 });
    }
  });
});

describe('StrikeHub station events', () => {
  it('tells viewers of every station change the registry announces, for that station', () => {
    const { registry, viewers } = hubWith();
    registry.upsert(station('bergen'));
    registry.upsert({ ...station('oslo'), name: 'Oslo harbour' });
    registry.setOnline(registry.get('lima')!, true, 500);
    registry.setOnline(registry.get('lima')!, false);
    expect(viewers.frames.map((f) => [f.stationId, f.message.type, (f.message.station as { name: string; online: boolean }).name, (f.message.station as { online: boolean }).online])).toEqual([
      ['bergen', 'station', 'bergen', false],
      ['oslo', 'station', 'Oslo harbour', false],
      ['lima', 'station', 'lima', true],
      ['lima', 'station', 'lima', false],
    ]);
    expect(viewers.frames[2]!.message).toEqual({ type: 'station', station: { id: 'lima', name: 'lima', lat: 0, lon: 0, chimes: 6, online: true, lastSeen: 500 } });
  });

  it('a removed station goes offline first (older pages show that), then station_removed', () => {
    const { registry, viewers } = hubWith();
    registry.setOnline(registry.get('oslo')!, true, 500);
    registry.remove('oslo');
    expect(viewers.frames.slice(1).map((f) => f.message)).toEqual([
      { type: 'station', station: { id: 'oslo', name: 'oslo', lat: 0, lon: 0, chimes: 6, online: false, lastSeen: 500 } },
      { type: 'station_removed', station: 'oslo' },
    ]);
  });

  it('stops listening to the registry when closed', () => {
    const { hub, registry, viewers } = hubWith();
    hub.close();
    registry.upsert(station('bergen'));
    expect(viewers.frames).toEqual([]);
  });
});

describe('StrikeHub presence', () => {
  it('count changes reach viewers at most every PRESENCE_MIN_INTERVAL_MS, coalesced', () => {
    vi.useFakeTimers({ now: 50_000 });
    const { hub, viewers } = hubWith({ now: Date.now });
    viewers.count = 1;
    hub.presenceChanged();
    vi.advanceTimersByTime(0);
    expect(viewers.ofType('presence')).toEqual([{ type: 'presence', viewers: 1 }]);
    viewers.count = 2;
    hub.presenceChanged();
    viewers.count = 3;
    hub.presenceChanged();
    vi.advanceTimersByTime(PRESENCE_MIN_INTERVAL_MS - 1);
    expect(viewers.ofType('presence')).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(viewers.ofType('presence')).toEqual([{ type: 'presence', viewers: 1 }, { type: 'presence', viewers: 3 }]);
  });

  it('a heartbeat presence goes out every HEARTBEAT_INTERVAL_MS, with the count across relays', () => {
    vi.useFakeTimers({ now: 50_000 });
    const { viewers } = hubWith({ now: Date.now, shared: { publish: () => undefined, viewerCount: (local) => local + 7 } });
    viewers.count = 2;
    vi.advanceTimersByTime(HEARTBEAT_INTERVAL_MS * 2);
    expect(viewers.ofType('presence')).toEqual([{ type: 'presence', viewers: 9 }, { type: 'presence', viewers: 9 }]);
    expect(viewers.frames.every((f) => f.stationId === undefined)).toBe(true);
  });
});
