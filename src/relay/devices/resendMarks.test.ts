// A device resends what the relay has not acknowledged after a cut; marked frames are heard once.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RESEND_MARKS_HEADER, RESEND_POSITION_MAX, type DeviceStrike } from '../../protocol';
import { relayMetric } from '../../../test/support/metrics';
import { TEST_TOKENS, testRelay } from '../../../test/support/relayFixture';
import { device, record } from '../../../test/support/wsClient';
import { skipResent } from './resendMarks';

const strikes = (...chimes: number[]): DeviceStrike[] => chimes.map((chime) => ({ chime, v: 1, age: 0 }));
const chimesOf = (taken: readonly DeviceStrike[]) => taken.map((strike) => strike.chime);

describe('skipResent', () => {
  it('takes an unmarked frame whole and leaves the state alone', () => {
    const state = { boot: 'a1', next: 10 };
    expect(skipResent(state, undefined, strikes(1, 2))).toEqual({ strikes: strikes(1, 2), state });
  });

  it('takes the first marked frame of a boot whole, then skips what a resend repeats', () => {
    const first = skipResent(null, { boot: 'a1', position: 41 }, strikes(1, 2));
    expect(chimesOf(first.strikes)).toEqual([1, 2]);
    expect(first.state).toEqual({ boot: 'a1', next: 43 });
    const resent = skipResent(first.state, { boot: 'a1', position: 41 }, strikes(1, 2, 3, 4));
    expect(chimesOf(resent.strikes)).toEqual([3, 4]);
    expect(resent.state).toEqual({ boot: 'a1', next: 45 });
    const again = skipResent(resent.state, { boot: 'a1', position: 43 }, strikes(3, 4));
    expect(again.strikes).toEqual([]);
    expect(again.state).toEqual({ boot: 'a1', next: 45 });
  });

  it('takes everything from a device that started again (another boot), from its position 0', () => {
    const restarted = skipResent({ boot: 'a1', next: 500 }, { boot: '7f', position: 0 }, strikes(5));
    expect(chimesOf(restarted.strikes)).toEqual([5]);
    expect(restarted.state).toEqual({ boot: '7f', next: 1 });
  });

  it('counts across the 32-bit wrap of positions', () => {
    const last = RESEND_POSITION_MAX;
    const before = skipResent(null, { boot: 'a1', position: last - 1 }, strikes(1, 2));
    expect(before.state).toEqual({ boot: 'a1', next: 0 });
    const across = skipResent(before.state, { boot: 'a1', position: last }, strikes(2, 3, 4));
    expect(chimesOf(across.strikes)).toEqual([3, 4]);
    expect(across.state).toEqual({ boot: 'a1', next: 2 });
  });

  it('skips a frame from behind what it took (a late resend) without moving back', () => {
    const late = skipResent({ boot: 'a1', next: 100 }, { boot: 'a1', position: 90 }, strikes(1, 2, 3));
    expect(late.strikes).toEqual([]);
    expect(late.state).toEqual({ boot: 'a1', next: 100 });
  });
});

describe('the relay, taking marked frames', () => {
  it('says in its /device upgrade response that it takes resend marks', async () => {
    const relay = await testRelay();
    const socket = new WebSocket(relay.ws('/device'), { headers: { Authorization: `Bearer ${TEST_TOKENS.chicago}` } });
    const header = await new Promise<string | string[] | undefined>((resolve, reject) => {
      socket.once('upgrade', (response) => resolve(response.headers[RESEND_MARKS_HEADER.toLowerCase()]));
      socket.once('error', reject);
    });
    socket.terminate();
    expect(header).toBe('1');
  });

  it('a frame sent again after a cut is heard once, its new strikes are heard, and the skips are counted', async () => {
    const relay = await testRelay();
    const viewer = await record(relay.ws('/live'));
    const before = await device(relay.ws('/device'), TEST_TOKENS.chicago);
    before.socket.send('#9f3a/41\n1,2');
    await viewer.waitFor(() => viewer.strikes().length === 2);
    // The cut: the device never heard that the relay took positions 41 and 42, so it sends them again.
    before.close();
    const after = await device(relay.ws('/device'), TEST_TOKENS.chicago);
    after.socket.send('#9f3a/41\n1,2,3');
    await viewer.waitFor(() => viewer.strikes().length === 3);
    after.socket.send('#9f3a/43\n3');
    await sleep(300);
    expect(viewer.strikes().map((s) => s.chime)).toEqual([1, 2, 3]);
    expect(after.messages.filter((m) => m.type === 'error')).toEqual([]);
    expect(await relayMetric(relay.url, 'aeolian_strikes_resent_total')).toBe(3);
  });
});
