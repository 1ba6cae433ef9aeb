// The relay over real sockets on loopback: devices in, viewers out.
import { createHash } from 'node:crypto';
import net from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { TEST_TOKENS, testRelay, testStations } from '../../test/support/relayFixture';
import { device, httpStatusOf, record } from '../../test/support/wsClient';
import { setTimeout as sleep } from 'node:timers/promises';

describe('relay: devices to viewers', () => {
  it('a device strike reaches two viewers with consecutive seqs', async () => {
    const relay = await testRelay();
    const a = await record(relay.ws('/live'));
    const b = await record(relay.ws('/live'));
    const chicago = await device(relay.ws('/device'), TEST_TOKENS.chicago);
    chicago.socket.send('{"chime":3,"v":0.7}');
    chicago.socket.send('1,2:0.5');
    for (const viewer of [a, b]) {
      await viewer.waitFor(() => viewer.strikes().length === 3);
      const strikes = viewer.strikes();
      expect(strikes.map((s) => [s.station, s.chime, s.v])).toEqual([
        ['chicago', 3, 0.7],
        ['chicago', 1, 1],
        ['chicago', 2, 0.5],
      ]);
      expect(strikes.map((s) => s.seq)).toEqual([1, 2, 3]);
    }
  });

  it('hello lists public stations only, and a device connecting turns its station online', async () => {
    const relay = await testRelay({ stations: testStations({ particleId: 'e00fce68-secret-device' }) });
    const viewer = await record(relay.ws('/live'));
    const hello = viewer.messages[0];
    expect(hello?.type).toBe('hello');
    if (hello?.type !== 'hello') return;
    expect(hello.protocol).toBe(1);
    expect(hello.stations.map((s) => [s.id, s.online])).toEqual([['chicago', false], ['tokyo', false]]);
    expect(JSON.stringify(hello)).not.toMatch(/tokenSha256|particleId|secret/);
    const chicago = await device(relay.ws('/device'), TEST_TOKENS.chicago);
    await viewer.waitFor((m) => m.some((x) => x.type === 'station' && x.station.id === 'chicago' && x.station.online));
    chicago.socket.close();
    await viewer.waitFor((m) => m.some((x) => x.type === 'station' && x.station.id === 'chicago' && !x.station.online));
  });

  it('stamps t as receive time minus age, and orders a batch by strike time', async () => {
    const relay = await testRelay();
    const viewer = await record(relay.ws('/live'));
    const chicago = await device(relay.ws('/device'), TEST_TOKENS.chicago);
    const sentAt = Date.now();
    chicago.socket.send('5@0,4@300,3@600');
    await viewer.waitFor(() => viewer.strikes().length === 3);
    const strikes = viewer.strikes();
    expect(strikes.map((s) => s.chime)).toEqual([3, 4, 5]);
    expect(strikes[1]!.t - strikes[0]!.t).toBe(300);
    expect(strikes[2]!.t - strikes[1]!.t).toBe(300);
    expect(Math.abs(strikes[2]!.t - sentAt)).toBeLessThan(500);
  });

  it('a viewer that asks with batch=1 gets the same messages, several to a websocket message', async () => {
    const relay = await testRelay();
    const plain = await record(relay.ws('/live'));
    const batched = await record(relay.ws('/live?batch=1'));
    const batchedTokyo = await record(relay.ws('/live?batch=1&stations=tokyo'));
    const chicago = await device(relay.ws('/device'), TEST_TOKENS.chicago);
    const tokyo = await device(relay.ws('/device'), TEST_TOKENS.tokyo);
    chicago.socket.send('0,1,2,3,4,5'); // six strikes in one device frame: broadcast in one turn
    tokyo.socket.send('0,1,2');
    for (const viewer of [plain, batched]) await viewer.waitFor(() => viewer.strikes().length === 9);
    await batchedTokyo.waitFor(() => batchedTokyo.strikes().length === 3);
    const strikesOf = (viewer: typeof plain) => viewer.strikes().map((s) => [s.seq, s.station, s.chime]);
    expect(strikesOf(batched)).toEqual(strikesOf(plain));
    const broadcasts = (viewer: typeof plain) => viewer.messages.filter((m) => m.type === 'strike' || m.type === 'station');
    expect(broadcasts(batched)).toEqual(broadcasts(plain)); // hello and presence count the viewers: they differ
    expect(strikesOf(batchedTokyo)).toEqual(strikesOf(plain).filter(([, station]) => station === 'tokyo'));
    // A frame per message for the plain viewer; the batched ones had far fewer websocket messages.
    expect(plain.frames).toBe(plain.messages.length);
    expect(batched.frames).toBeLessThanOrEqual(plain.frames - 5);
    expect(batchedTokyo.frames).toBeLessThan(batchedTokyo.messages.length);
  });

  it('filters by station with ?stations=', async () => {
    const relay = await testRelay();
    const onlyTokyo = await record(relay.ws('/live?stations=tokyo'));
    const hello = onlyTokyo.messages[0];
    expect(hello?.type === 'hello' && hello.stations.map((s) => s.id)).toEqual(['tokyo']);
    const chicago = await device(relay.ws('/device'), TEST_TOKENS.chicago);
    const tokyo = await device(relay.ws('/device'), TEST_TOKENS.tokyo);
    chicago.socket.send('1');
    tokyo.socket.send('2');
    await onlyTokyo.waitFor(() => onlyTokyo.strikes().length === 1);
    await sleep(100); // a window in which Chicago's strike must not arrive
    expect(onlyTokyo.strikes().map((s) => s.station)).toEqual(['tokyo']);
  });
});

describe('relay: device authentication and abuse', () => {
  it('refuses an unknown or missing token with HTTP 401 and no websocket', async () => {
    const relay = await testRelay();
    expect(await httpStatusOf(relay.ws('/device'), { headers: { Authorization: 'Bearer nope' } })).toBe(401);
    expect(await httpStatusOf(relay.ws('/device'))).toBe(401);
    expect(await httpStatusOf(relay.ws('/device?token=nope'))).toBe(401);
  });

  it('accepts ?token= for firmware that cannot set headers', async () => {
    const relay = await testRelay();
    const viewer = await record(relay.ws('/live'));
    const chicago = await record(relay.ws(`/device?token=${TEST_TOKENS.chicago}`));
    chicago.socket.send('0');
    await viewer.waitFor(() => viewer.strikes().length === 1);
  });

  it('a new connection with the same token replaces the old one with 4000', async () => {
    const relay = await testRelay();
    const first = await device(relay.ws('/device'), TEST_TOKENS.chicago);
    const second = await device(relay.ws('/device'), TEST_TOKENS.chicago);
    expect(await first.closed).toBe(4000);
    const viewer = await record(relay.ws('/live'));
    const hello = viewer.messages[0];
    expect(hello?.type === 'hello' && hello.stations.find((s) => s.id === 'chicago')?.online).toBe(true);
    second.socket.send('1');
    await viewer.waitFor(() => viewer.strikes().length === 1);
  });

  it('answers bad input with an error and keeps the device connected', async () => {
    const relay = await testRelay();
    const viewer = await record(relay.ws('/live'));
    const chicago = await device(relay.ws('/device'), TEST_TOKENS.chicago);
    chicago.socket.send('{"chime":3');
    chicago.socket.send('[{"chime":1},{"chime":9}]');
    await chicago.waitFor((m) => m.filter((x) => x.type === 'error').length === 2);
    expect(chicago.messages).toMatchObject([
      { type: 'error', code: 'bad_message', detail: expect.stringContaining('invalid JSON') },
      { type: 'error', code: 'bad_message', detail: 'item 1: chime 9 is out of range 0..5' },
    ]);
    chicago.socket.send('4');
    await viewer.waitFor(() => viewer.strikes().length === 1);
    expect(viewer.strikes()[0]?.chime).toBe(4); // the refused frame's good item was not published
  });

  it('closes with 1008 after more than 20 invalid frames in 10 s', async () => {
    const relay = await testRelay();
    const chicago = await device(relay.ws('/device'), TEST_TOKENS.chicago);
    for (let i = 0; i < 21; i++) chicago.socket.send('nonsense');
    expect(await chicago.closed).toBe(1008);
  });

  it('closes with 1009 on a frame over 4096 bytes', async () => {
    const relay = await testRelay();
    const chicago = await device(relay.ws('/device'), TEST_TOKENS.chicago);
    chicago.socket.send('1,'.repeat(2100));
    expect(await chicago.closed).toBe(1009);
  });

  it('closes with 1002 on an unmasked client frame (RFC 6455 5.1)', async () => {
    const relay = await testRelay();
    const socket = net.connect(relay.port, '127.0.0.1');
    const key = Buffer.from('0123456789abcdef').toString('base64');
    socket.write(
      `GET /device HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer ${TEST_TOKENS.chicago}\r\n\r\n`,
    );
    const received: Buffer[] = [];
    socket.on('data', (chunk) => received.push(chunk));
    await new Promise<void>((resolve) => {
      const check = () => (Buffer.concat(received).includes('\r\n\r\n') ? resolve() : setTimeout(check, 10));
      check();
    });
    const handshake = Buffer.concat(received).toString('latin1');
    const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    expect(handshake).toContain(`Sec-WebSocket-Accept: ${accept}`);
    received.length = 0;
    socket.write(Buffer.from([0x81, 0x01, 0x33])); // FIN + text, MASK bit clear, payload "3"
    await new Promise((resolve) => socket.on('close', resolve));
    const frame = Buffer.concat(received);
    expect(frame[0]).toBe(0x88); // close frame
    expect(frame.readUInt16BE(2)).toBe(1002);
  });

  it('rate-limits a flooding station, counts drops and says so at most once a second', async () => {
    const relay = await testRelay();
    const viewer = await record(relay.ws('/live'));
    const chicago = await device(relay.ws('/device'), TEST_TOKENS.chicago);
    const tokyo = await device(relay.ws('/device'), TEST_TOKENS.tokyo);
    const frame = Array.from({ length: 60 }, (_, i) => String(i % 6)).join(',');
    for (let i = 0; i < 5; i++) chicago.socket.send(frame); // 300 strikes against a burst of 100
    tokyo.socket.send('2');
    // Every one of the 300 is either accepted (and then on its way to the viewer) or dropped.
    await vi.waitFor(() => {
      const chicagoState = relay.stations.get('chicago')!;
      expect(chicagoState.strikesAccepted + chicagoState.strikesDropped).toBe(300);
      expect(viewer.strikes().filter((s) => s.station === 'chicago')).toHaveLength(chicagoState.strikesAccepted);
      expect(viewer.strikes().some((s) => s.station === 'tokyo')).toBe(true);
    }, { timeout: 5_000 });
    const fromChicago = viewer.strikes().filter((s) => s.station === 'chicago').length;
    expect(fromChicago).toBeGreaterThanOrEqual(100);
    expect(fromChicago).toBeLessThan(120);
    expect(chicago.messages.filter((m) => m.type === 'error' && m.code === 'rate_limited')).toHaveLength(1);
    expect(relay.stations.get('chicago')?.strikesDropped).toBe(300 - fromChicago);
  });
});

describe('relay: viewers', () => {
  it('closes a viewer that sends a data frame with 1008', async () => {
    const relay = await testRelay();
    const viewer = await record(relay.ws('/live'));
    viewer.socket.send('hello?');
    expect(await viewer.closed).toBe(1008);
  });

  it('resume with since delivers exactly the missed strikes, in order', async () => {
    const relay = await testRelay();
    const chicago = await device(relay.ws('/device'), TEST_TOKENS.chicago);
    const first = await record(relay.ws('/live'));
    const watcher = await record(relay.ws('/live'));
    chicago.socket.send('0,1,2');
    await first.waitFor(() => first.strikes().length === 3);
    const hello = first.messages[0];
    if (hello?.type !== 'hello') throw new Error('no hello');
    first.close();
    chicago.socket.send('3,4');
    chicago.socket.send('5');
    await watcher.waitFor(() => watcher.strikes().length === 6);
    const resumed = await record(relay.ws(`/live?since=3&epoch=${hello.epoch}`));
    await resumed.waitFor(() => resumed.strikes().length === 3);
    await sleep(100); // a window in which nothing more (a duplicate, an older strike) may arrive
    expect(resumed.messages[0]).toMatchObject({ type: 'hello', seq: 6 });
    expect(resumed.messages[0]).not.toHaveProperty('gap');
    expect(resumed.strikes().map((s) => [s.seq, s.chime])).toEqual([[4, 3], [5, 4], [6, 5]]);
  });

  it('marks a gap and replays nothing stale for a foreign epoch or a too-old since', async () => {
    const relay = await testRelay();
    const chicago = await device(relay.ws('/device'), TEST_TOKENS.chicago);
    const watcher = await record(relay.ws('/live'));
    chicago.socket.send('0,1');
    await watcher.waitFor(() => watcher.strikes().length === 2);
    const foreign = await record(relay.ws('/live?since=0&epoch=someoneelse'));
    const future = await record(relay.ws(`/live?since=99&epoch=${relay.hub.epoch}`));
    await sleep(100); // a window in which no stale replay may arrive
    for (const viewer of [foreign, future]) {
      expect(viewer.messages[0]).toMatchObject({ type: 'hello', gap: true, seq: 2 });
      expect(viewer.strikes()).toEqual([]);
    }
  });

  it('a viewer that stops reading is closed at the backlog limit while others keep receiving', async () => {
    const relay = await testRelay({ stations: testStations({ strikesPerSecond: 1_000_000, burst: 1_000_000 }) });
    const stalled = await record(relay.ws('/live'));
    const healthy = await record(relay.ws('/live'));
    stalled.socket.pause();
    const chicago = await device(relay.ws('/device'), TEST_TOKENS.chicago);
    const frame = Array.from({ length: 1000 }, (_, i) => String(i % 6)).join(',');
    let sent = 0;
    // Paced so a reader that reads keeps up; the stalled one's kernel buffers fill, then its backlog.
    while (relay.viewers.stats.slowViewerCloses === 0 && sent < 400_000) {
      chicago.socket.send(frame);
      sent += 1000;
      await sleep(25);
    }
    await healthy.waitFor(() => healthy.strikes().length === sent, 10_000);
    expect(relay.viewers.stats.slowViewerCloses).toBe(1);
    expect(relay.hub.viewerCount).toBe(1);
    expect(healthy.strikes().at(-1)?.seq).toBe(sent);
    stalled.socket.resume();
    expect(await stalled.closed).toBe(1013);
  }, 60_000);
});
