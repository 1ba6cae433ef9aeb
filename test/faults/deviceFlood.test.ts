// A device flooding 10,000 strikes/s is held to its station's rate; the other stations' strikes
// keep flowing, all of them, in order.
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { RATE_LIMIT_NOTICE_INTERVAL_MS, STATION_STRIKE_BURST, STATION_STRIKES_PER_S } from '../../src/protocol';
import { TEST_TOKENS, testRelay } from '../support/relayFixture';
import { device, record } from '../support/wsClient';

const FLOOD_STRIKES_PER_S = 10_000;
const FLOOD_MS = 2_000;
const STRIKES_PER_FRAME = 100;

it('a device flooding 10,000 strikes/s is rate-limited and the other stations keep flowing', async () => {
  const relay = await testRelay();
  const viewer = await record(relay.ws('/live'));
  const flooder = await device(relay.ws('/device'), TEST_TOKENS.chicago);
  const tokyo = await device(relay.ws('/device'), TEST_TOKENS.tokyo);

  const startedAt = Date.now();
  const frame = Array.from({ length: STRIKES_PER_FRAME }, (_, i) => String(i % 6)).join(',');
  const frameIntervalMs = (1000 * STRIKES_PER_FRAME) / FLOOD_STRIKES_PER_S;
  let flooded = 0;
  let tokyoSent = 0;
  const tokyoTimer = setInterval(() => {
    tokyo.socket.send(String(tokyoSent % 6));
    tokyoSent++;
  }, 50);
  try {
    while (Date.now() - startedAt < FLOOD_MS) {
      // On schedule, not one frame per timer tick: a late timer on a busy machine must not thin
      // the flood (the rate is the behaviour under test), so each turn catches up.
      const due = Math.floor((Date.now() - startedAt) / frameIntervalMs) + 1;
      for (; flooded < due * STRIKES_PER_FRAME; flooded += STRIKES_PER_FRAME) flooder.socket.send(frame);
      await sleep(frameIntervalMs);
    }
  } finally {
    clearInterval(tokyoTimer);
  }
  const elapsedS = (Date.now() - startedAt) / 1000;
  await viewer.waitFor(() => viewer.strikes().filter((s) => s.station === 'tokyo').length === tokyoSent, 5_000);

  const chicago = relay.stations.get('chicago')!;
  expect(flooded).toBeGreaterThan(FLOOD_STRIKES_PER_S * (FLOOD_MS / 1000) * 0.5);
  expect(chicago.strikesAccepted).toBeLessThanOrEqual(STATION_STRIKE_BURST + STATION_STRIKES_PER_S * elapsedS + 1);
  expect(chicago.strikesAccepted).toBeGreaterThanOrEqual(STATION_STRIKE_BURST);
  expect(chicago.strikesAccepted + chicago.strikesDropped).toBe(flooded);
  expect(relay.devices.stats.strikesRateLimited).toBe(chicago.strikesDropped);

  // The flooder is told, at most once per notice interval, and stays connected.
  await flooder.waitFor((m) => m.some((x) => x.type === 'error' && x.code === 'rate_limited'));
  const notices = flooder.messages.filter((m) => m.type === 'error' && m.code === 'rate_limited').length;
  expect(notices).toBeLessThanOrEqual(Math.ceil((elapsedS * 1000) / RATE_LIMIT_NOTICE_INTERVAL_MS) + 1);
  expect(relay.devices.isConnected('chicago')).toBe(true);

  // Every tokyo strike arrived, in order, none dropped; the viewer's seqs have no holes.
  expect(relay.stations.get('tokyo')!.strikesDropped).toBe(0);
  const seqs = viewer.strikes().map((s) => s.seq);
  expect(seqs).toEqual(Array.from({ length: relay.hub.seq }, (_, i) => i + 1));
});
