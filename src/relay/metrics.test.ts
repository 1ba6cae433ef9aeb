import { Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { TEST_TOKENS, testRelay } from '../../test/support/relayFixture';
import { metricValue, relayMetric } from '../../test/support/metrics';
import { device, record } from '../../test/support/wsClient';

describe('GET /metrics', () => {
  it('counts viewers, devices, accepted, refused and rate-limited strikes, and times each broadcast', async () => {
    const relay = await testRelay();
    const viewer = await record(relay.ws('/live?since=0&epoch=old'));
    const chicago = await device(relay.ws('/device'), TEST_TOKENS.chicago);
    chicago.socket.send('1,2,3');
    chicago.socket.send('{"chime":99}');
    chicago.socket.send(Array.from({ length: 120 }, () => '1').join(','));
    await viewer.waitFor(() => viewer.strikes().length >= 100);

    const response = await fetch(`${relay.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(metricValue(text, 'aeolian_viewers')).toBe(1);
    expect(metricValue(text, 'aeolian_devices')).toBe(1);
    // A burst of 100; on a slow machine the bucket may refill a token or two between frames, but
    // every one of the 123 valid strikes is counted once, as accepted or as rate-limited.
    const accepted = metricValue(text, 'aeolian_strikes_accepted_total');
    const rateLimited = metricValue(text, 'aeolian_strikes_rate_limited_total');
    expect(accepted + rateLimited).toBe(123);
    expect(accepted).toBeGreaterThanOrEqual(100);
    expect(accepted).toBeLessThan(110);
    expect(metricValue(text, 'aeolian_device_frames_refused_total')).toBe(1);
    expect(metricValue(text, 'aeolian_resume_requests_total')).toBe(1);
    expect(metricValue(text, 'aeolian_slow_viewer_closes_total')).toBe(0);
    expect(metricValue(text, 'aeolian_broadcast_duration_seconds_count')).toBeGreaterThan(0);
    expect(metricValue(text, 'process_resident_memory_bytes')).toBeGreaterThan(1e6);
  });
});

describe('GET /metrics: garbage collection', () => {
  it("counts the main thread's collection pauses by kind, a full collection as major", async () => {
    const relay = await testRelay();
    const fullCollections = () => relayMetric(relay.url, 'nodejs_gc_duration_seconds_count{kind="major"}');
    const before = await fullCollections();
    // A full mark-compact, as V8 runs one when the old generation reaches its limit.
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
    await vi.waitFor(async () => expect(await fullCollections()).toBeGreaterThan(before));
    expect(await relayMetric(relay.url, 'nodejs_gc_duration_seconds_sum{kind="major"}')).toBeGreaterThan(0);
  });

  it('counts young-generation collections as minor', async () => {
    const relay = await testRelay();
    const youngCollections = () => relayMetric(relay.url, 'nodejs_gc_duration_seconds_count{kind="minor"}');
    const before = await youngCollections();
    let garbage: { i: number }[] = [];
    for (let i = 0; i < 2_000_000; i++) {
      garbage.push({ i }); // short-lived objects fill the young generation again and again
      if (garbage.length > 1_000) garbage = [];
    }
    await vi.waitFor(async () => expect(await youngCollections()).toBeGreaterThan(before));
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  it('answers 401 without the token and the metrics with it', async () => {
    const relay = await testRelay({ metricsToken: 'metrics-scraper-token-31d' });
    const refused = await fetch(`${relay.url}/metrics`);
    expect(refused.status).toBe(401);
    expect(await refused.text()).not.toMatch(/aeolian_/);
    expect((await fetch(`${relay.url}/metrics`, { headers: { Authorization: 'Bearer wrong-token-wrong-token' } })).status).toBe(401);
    const allowed = await fetch(`${relay.url}/metrics`, { headers: { Authorization: 'Bearer metrics-scraper-token-31d' } });
    expect(allowed.status).toBe(200);
    expect(metricValue(await allowed.text(), 'aeolian_viewers')).toBe(0);
  });
});

describe('logs', () => {
  it('are JSON lines at info: one per device connection, viewers summarised, none per strike', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const relay = await testRelay({ logger: pino({ level: 'info' }, sink) });
    const viewer = await record(relay.ws('/live'));
    const chicago = await device(relay.ws('/device'), TEST_TOKENS.chicago);
    for (let i = 0; i < 50; i++) chicago.socket.send(String(i % 6));
    await viewer.waitFor(() => viewer.strikes().length === 50);
    chicago.close();
    viewer.close();
    await vi.waitFor(() => expect(lines.map((line) => line.event)).toContain('device_disconnected'), { timeout: 5_000 });
    // The relay has seen the viewer leave (it logs that only at debug, see below).
    await vi.waitFor(async () => expect(metricValue(await (await fetch(`${relay.url}/metrics`)).text(), 'aeolian_viewers')).toBe(0), { timeout: 5_000 });
    const events = lines.map((line) => line.event);
    // Viewers come and go by the thousand: at info they are counted in a periodic summary
    // (viewerConnectionLog.test.ts), each one only at debug.
    expect(events.filter((e) => e === 'viewer_connected' || e === 'viewer_disconnected')).toEqual([]);
    expect(events.filter((e) => e === 'device_connected')).toHaveLength(1);
    expect(events.filter((e) => e === 'device_disconnected')).toHaveLength(1);
    expect(lines.length).toBeLessThan(10); // 50 strikes, no line for any of them
    // The start-up line says how viewers are written (io_uring where liburing is built in, as in CI).
    expect(lines.find((line) => line.event === 'relay_listening')?.viewerWrites).toBe('io_uring');
    expect(lines.every((line) => typeof line.event === 'string' && typeof line.time === 'number')).toBe(true);
  });
});
