// The cloud's Retry-After is obeyed but never trusted: a huge value must not overflow Node's timer
// (which then fires after 1 ms) and turn the reconnect loop into a flood of stream opens.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect, it } from 'vitest';
import { startParticle, type ParticleSide } from '../../src/relay/particle';
import { testRelay, testStations } from '../support/relayFixture';

let cloud: Server | undefined;
let particle: ParticleSide | undefined;
afterEach(async () => {
  particle?.close();
  cloud?.closeAllConnections();
  await new Promise((resolve) => (cloud ? cloud.close(resolve) : resolve(undefined)));
  particle = cloud = undefined;
});

/** A cloud that answers every stream open with 429 and the given Retry-After; counts the opens. */
async function refusingCloud(retryAfter: string): Promise<{ url: string; opens: () => number }> {
  let opens = 0;
  cloud = createServer((_request, response) => {
    opens++;
    response.writeHead(429, { 'Retry-After': retryAfter, 'Content-Type': 'text/plain' });
    response.end('slow down\n');
  });
  await new Promise<void>((resolve) => cloud!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(cloud.address() as AddressInfo).port}`, opens: () => opens };
}

it.each([
  ['2592000', 'thirty days in seconds'],
  [new Date(Date.now() + 40 * 86_400_000).toUTCString(), 'an HTTP date forty days ahead'],
])('a 429 with Retry-After %s (%s) waits instead of reopening at once', async (retryAfter) => {
  const { url, opens } = await refusingCloud(retryAfter);
  const relay = await testRelay({ stations: testStations({ particleId: 'e00fce68aaaa' }) });
  particle = startParticle(relay, { token: 'fake-cloud-token-4f9a0c', apiUrl: url, eventName: 'chime', reconnectBaseMs: 10 });
  const deadline = Date.now() + 2_000;
  while (opens() < 2 && Date.now() < deadline) await sleep(20);
  expect(opens()).toBe(2); // one strike stream, one status stream
  await sleep(1_000);
  expect(opens()).toBe(2);
});
