// WS /touch over real sockets: touches are acked with the seq they carry on /live, numbered among the
// wind's strikes; bad, oversize and replayed touches get their documented refusals.
import { describe, expect, it } from 'vitest';
import { CloseCode, TOUCH_CLOSE_FRAME_BYTES } from '../../src/protocol';
import { TEST_TOKENS, testRelay } from '../support/relayFixture';
import { device, httpStatusOf, record } from '../support/wsClient';
import { touchClient } from './touchClient';

/** A relay with chicago online (a device connected), so its chimes may be touched. */
async function relayWithChicago(options: Parameters<typeof testRelay>[0] = {}) {
  const relay = await testRelay(options);
  const chicago = await device(relay.ws('/device'), TEST_TOKENS.chicago);
  await expect.poll(() => relay.stations.get('chicago')?.online).toBe(true);
  return { relay, chicago };
}

describe('WS /touch', () => {
  it('acks a touch with the seq viewers get it under, numbered in the same sequence as strikes', async () => {
    const { relay, chicago } = await relayWithChicago();
    const viewer = await record(relay.ws('/live'));
    const page = await touchClient(relay.url);
    expect(page.messages[0]).toEqual({ type: 'participation', enabled: true, stations: {} });
    chicago.socket.send('0');
    await viewer.waitFor(() => viewer.strikes().length === 1);
    expect(await page.touch({ id: 'first', chime: 4, v: 0.8 })).toEqual({ type: 'touch_ack', id: 'first', seq: 2 });
    chicago.socket.send('5');
    await viewer.waitFor((m) => m.filter((x) => x.type === 'strike' || x.type === 'touch').length === 3);
    const played = viewer.messages.filter((m) => m.type === 'strike' || m.type === 'touch');
    expect(played.map((m) => [m.type, m.seq, m.chime])).toEqual([['strike', 1, 0], ['touch', 2, 4], ['strike', 3, 5]]);
    expect(played[1]).toMatchObject({ station: 'chicago', v: 0.8, t: expect.any(Number) });
    // A viewer that resumes gets the touch again among the strikes.
    const resumed = await record(relay.ws(`/live?since=1&epoch=${relay.hub.epoch}`));
    await resumed.waitFor((m) => m.filter((x) => x.type === 'strike' || x.type === 'touch').length === 2);
    expect(resumed.messages.filter((m) => m.type === 'touch').map((m) => m.seq)).toEqual([2]);
  });

  it('refuses a page from another origin with 403 unless TOUCH_ORIGINS lists it', async () => {
    const relay = await testRelay({ touchOrigins: ['https://gallery.example'] });
    const url = relay.ws('/touch');
    expect(await httpStatusOf(url, { headers: { Origin: 'https://evil.example' } })).toBe(403);
    expect(await httpStatusOf(url)).toBe(403); // no Origin at all
    await expect(touchClient(relay.url, { origin: 'https://gallery.example' })).resolves.toBeDefined();
    await expect(touchClient(relay.url)).resolves.toBeDefined(); // its own origin
    const metrics = await (await fetch(`${relay.url}/metrics`)).text();
    expect(metrics).toMatch(/^aeolian_touch_origin_refusals_total 2$/m);
  });

  it('answers malformed, unknown, out-of-range, replayed and oversize touches with their documented reasons', async () => {
    const { relay } = await relayWithChicago();
    const page = await touchClient(relay.url);
    expect(await page.touch({ id: 'ok1' })).toMatchObject({ type: 'touch_ack' });
    expect(await page.touch({ id: 'ok1' })).toEqual({ type: 'touch_refused', id: 'ok1', reason: 'duplicate' });
    expect(await page.touch({ id: 'v', v: 2 })).toMatchObject({ type: 'touch_refused', id: 'v', reason: 'bad_message', detail: expect.stringContaining('v') });
    expect(await page.touch({ id: 'c', chime: 6 })).toMatchObject({ reason: 'bad_message', detail: 'chime 6 is out of range 0..5' });
    expect(await page.touch({ id: 'u', station: 'atlantis' })).toEqual({ type: 'touch_refused', id: 'u', reason: 'unknown_station' });
    expect(await page.touch({ id: 'off', station: 'tokyo' })).toEqual({ type: 'touch_refused', id: 'off', reason: 'station_resting' });
    const refusals = () => page.messages.filter((m) => m.type === 'touch_refused' && m.id === undefined);
    page.sendRaw('{"type":"touch",');
    await page.waitFor(() => refusals().length === 1);
    expect(refusals()[0]).toMatchObject({ reason: 'bad_message', detail: expect.stringMatching(/^invalid JSON/) });
    page.sendRaw(Buffer.from([1, 2, 3]), true);
    await page.waitFor(() => refusals().length === 2);
    expect(refusals()[1]).toMatchObject({ reason: 'bad_message', detail: expect.stringContaining('binary') });
    page.sendRaw(JSON.stringify({ type: 'touch', id: 'big', station: 'chicago', chime: 1, pad: 'x'.repeat(300) }));
    await page.waitFor(() => refusals().length === 3);
    expect(refusals()[2]).toMatchObject({ reason: 'too_large' });
    expect(page.socket.readyState).toBe(page.socket.OPEN);
    page.sendRaw('x'.repeat(TOUCH_CLOSE_FRAME_BYTES + 1));
    expect(await page.closed).toBe(CloseCode.messageTooBig);
  });

  it('closes a page with 1008 after 20 refused bad touches in 10 s, but never for slow_down', async () => {
    const { relay } = await relayWithChicago();
    const polite = await touchClient(relay.url);
    for (let i = 0; i < 40; i++) polite.sendRaw(JSON.stringify({ type: 'touch', id: `p${i}`, station: 'chicago', chime: 1 }));
    await polite.waitFor((m) => m.filter((x) => x.type === 'touch_refused' || x.type === 'touch_ack').length === 40);
    expect(polite.messages.filter((m) => m.type === 'touch_refused').every((m) => m.type === 'touch_refused' && m.reason === 'slow_down')).toBe(true);
    expect(polite.socket.readyState).toBe(polite.socket.OPEN);
    const rude = await touchClient(relay.url);
    for (let i = 0; i < 21; i++) rude.sendRaw('nope');
    expect(await rude.closed).toBe(CloseCode.policyViolation);
  });

  it('refuses more than TOUCH_MAX_CONNECTIONS_PER_ADDRESS sockets from one address with 429', async () => {
    const relay = await testRelay({ trustedProxies: 1 });
    for (let i = 0; i < 8; i++) await touchClient(relay.url, { forwardedFor: '203.0.113.9' });
    expect(await httpStatusOf(relay.ws('/touch'), { headers: { Origin: relay.url, 'X-Forwarded-For': '203.0.113.9' } })).toBe(429);
    await expect(touchClient(relay.url, { forwardedFor: '203.0.113.10' })).resolves.toBeDefined();
  });
});
