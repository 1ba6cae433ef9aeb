import { describe, expect, it } from 'vitest';
import type { StrikeMessage } from '../../protocol';
import { describeRange, describeReplay, liveAddress, replayAddress } from './replayRange';
import { ReplayTransport } from './replayTransport';
import type { ConnectionStatus, StreamStart, TransportSink } from './types';

const STATIONS = [{ id: 'tokyo', name: 'Tokyo', lat: 35.7, lon: 139.7, chimes: 5, online: false, lastSeen: null }];
const line = (seq: number, t: number) => JSON.stringify({ type: 'strike', seq, station: 'tokyo', chime: 1, v: 0.5, t });

function recordingSink() {
  const events = { starts: [] as StreamStart[], strikes: [] as StrikeMessage[], statuses: [] as ConnectionStatus[], refused: [] as string[] };
  const sink: TransportSink = {
    start: (s) => events.starts.push(s),
    strike: (s) => events.strikes.push(s),
    station: () => undefined,
    stationRemoved: () => undefined,
    presence: () => undefined,
    status: (s) => events.statuses.push(s),
    refused: (d) => events.refused.push(d),
  };
  const ended = () =>
    new Promise<string>((resolve) => {
      const poll = () => {
        const last = events.statuses.at(-1);
        if (last?.state === 'offline') resolve(last.reason);
        else setTimeout(poll, 2);
      };
      poll();
    });
  return { sink, events, ended };
}

/** A fetch that answers /api/stations and the history route like the relay. */
function relayFetch(history: () => Response | Promise<Response>, requested: string[] = []): typeof fetch {
  return (async (input: RequestInfo | URL) => {
    const url = String(input);
    requested.push(url);
    if (url === '/api/stations') return Response.json(STATIONS);
    return history();
  }) as typeof fetch;
}

const replay = (query: string, fetchImpl: typeof fetch) => ReplayTransport.fromOptions(new URLSearchParams(query), fetchImpl);

describe('ReplayTransport on a history range', () => {
  it("plays visitors' touches from the archive as touches, in time order with the strikes", async () => {
    const touch = (seq: number, t: number) => JSON.stringify({ type: 'touch', seq, station: 'tokyo', chime: 4, v: 0.8, t });
    const body = [line(1, 1_000), touch(2, 1_010), line(3, 1_020)].join('\n') + '\n';
    const transport = replay('from=2025-11-25T14:00:00Z&to=2025-11-25T15:00:00Z&speed=20', relayFetch(() => new Response(body)));
    const { sink, events, ended } = recordingSink();
    const touches: number[] = [];
    const order: string[] = [];
    transport.start({ ...sink, strike: (s) => (order.push(`strike ${s.seq}`), sink.strike(s)), touch: (t) => (touches.push(t.chime), order.push(`touch ${t.seq}`)) });
    await ended();
    expect(touches).toEqual([4]);
    expect(order).toEqual(['strike 1', 'touch 2', 'strike 3']);
    expect(events.strikes.map((s) => s.seq)).toEqual([1, 3]);
  });

  it('asks the relay for the range, names the stations from /api/stations and plays every strike', async () => {
    const requested: string[] = [];
    const body = [line(1, 1_000), line(2, 1_020), 'garbage', line(3, 1_040)].join('\n') + '\n';
    const transport = replay(
      'from=2025-11-25T14:00:00Z&to=2025-11-25T15:00:00Z&stations=tokyo&speed=20',
      relayFetch(() => new Response(body), requested),
    );
    const { sink, events, ended } = recordingSink();
    transport.start(sink);
    expect(await ended()).toBe('The replay has finished (3 strikes).');
    expect(requested).toContain('/api/history?from=2025-11-25T14%3A00%3A00Z&to=2025-11-25T15%3A00%3A00Z&stations=tokyo&touches=1');
    expect(events.starts[0]!.stations.map((s) => [s.id, s.online])).toEqual([['tokyo', true]]);
    expect(events.strikes.map((s) => s.seq)).toEqual([1, 2, 3]);
    expect(events.refused).toEqual([expect.stringMatching(/^line 3: /)]);
    expect(transport.replay.speed).toBe(20);
  });

  it.each([
    [400, { error: 'to: must be after from', parameter: 'to' }, 'The relay refused this replay range: to: must be after from.'],
    [404, { error: 'this relay keeps no archive (set ARCHIVE_PATH)' }, 'This relay keeps no archive, so there is no history to replay (the relay needs ARCHIVE_PATH).'],
    [503, { error: 'too many' }, 'The relay is busy with other history requests: reload in a moment to try again.'],
  ])('an HTTP %s is said in words, not thrown', async (status, body, reason) => {
    const transport = replay('from=2025-11-25T14:00:00Z&to=2025-11-25T13:00:00Z', relayFetch(() => Response.json(body, { status })));
    const { sink, events, ended } = recordingSink();
    transport.start(sink);
    expect(await ended()).toBe(reason);
    expect(events.starts).toEqual([]);
  });

  it('a network failure says the relay cannot be reached', async () => {
    const transport = replay('from=2025-11-25T14:00:00Z&to=2025-11-25T15:00:00Z', relayFetch(() => Promise.reject(new TypeError('Failed to fetch'))));
    const { sink, ended } = recordingSink();
    transport.start(sink);
    expect(await ended()).toBe('Cannot reach the relay for the replay: Failed to fetch');
  });

  it('an empty range says nothing was archived', async () => {
    const transport = replay('from=2025-11-25T14:00:00Z&to=2025-11-25T15:00:00Z', relayFetch(() => new Response('')));
    const { sink, ended } = recordingSink();
    transport.start(sink);
    expect(await ended()).toMatch(/^No strikes were archived for \d\d:00–\d\d:00 /);
  });

  it('stop() while strikes are still due: nothing more reaches the sink', async () => {
    const body = [line(1, 0), line(2, 60_000)].join('\n');
    const transport = replay('from=2025-11-25T14:00:00Z&to=2025-11-25T15:00:00Z&speed=1', relayFetch(() => new Response(body)));
    const { sink, events } = recordingSink();
    transport.start(sink);
    while (events.strikes.length === 0) await new Promise((r) => setTimeout(r, 2));
    transport.stop();
    const statuses = events.statuses.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(events.strikes).toHaveLength(1);
    expect(events.statuses).toHaveLength(statuses);
  });
});

describe('replay addresses and labels', () => {
  const now = new Date(2025, 10, 26, 9, 30).getTime();
  it('names the hours and the day the way a person would', () => {
    const range = { from: new Date(2025, 10, 25, 14, 0).getTime(), to: new Date(2025, 10, 25, 15, 0).getTime() };
    expect(describeRange(range, now)).toBe('14:00–15:00 yesterday');
    expect(describeReplay({ range: { ...range, stations: null }, url: null, speed: 10 }, now)).toBe('Replay · 14:00–15:00 yesterday · 10×');
    expect(describeRange({ from: new Date(2025, 10, 25, 23, 30).getTime(), to: new Date(2025, 10, 26, 0, 30).getTime() }, now)).toBe(
      '23:30 yesterday–00:30 today',
    );
    expect(describeRange({ from: new Date(2025, 10, 20, 8, 0).getTime(), to: new Date(2025, 10, 20, 8, 15).getTime() }, now)).toBe('08:00–08:15 20 Nov');
    expect(describeReplay({ range: null, url: '/r.ndjson', speed: 2 }, now)).toBe('Replay · recording · 2×');
  });

  it('the replay address keeps ?dev and other options and drops the old source; back to live drops the replay', () => {
    const current = new URL('http://x/?dev&preset=dusk&source=sim&seed=4&speed=3');
    const replayUrl = replayAddress(current, { from: Date.UTC(2025, 10, 25, 14), to: Date.UTC(2025, 10, 25, 15), stations: ['tokyo'] }, 10);
    expect(Object.fromEntries(replayUrl.searchParams)).toEqual({
      dev: '', preset: 'dusk', source: 'replay', from: '2025-11-25T14:00:00.000Z', to: '2025-11-25T15:00:00.000Z', stations: 'tokyo', speed: '10',
    });
    expect(Object.fromEntries(liveAddress(replayUrl).searchParams)).toEqual({ dev: '', preset: 'dusk', stations: 'tokyo' });
    const allStations = replayAddress(new URL('http://x/?dev&stations=tokyo'), { from: 0, to: 3_600_000, stations: null }, 1);
    expect(allStations.searchParams.has('stations')).toBe(false);
  });
});
