// Viewers served from fan-out processes (VIEWER_PROCESSES): real child processes, real sockets.
import { describe, expect, it } from 'vitest';
import { TEST_TOKENS, testRelay, testStations } from '../../../test/support/relayFixture';
import { device, record, sleep, type RecordingClient } from '../../../test/support/wsClient';
import { waitUntil } from '../../../test/faults/support';
import { ViewerShardPool } from './shardPool';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Every strike after the viewer's hello seq, once, in order, up to `last`. */
function expectEveryStrikeOnce(viewer: RecordingClient, last: number): void {
  const hello = viewer.messages.find((m) => m.type === 'hello');
  if (hello?.type !== 'hello') throw new Error('no hello');
  const seqs = viewer.strikes().map((s) => s.seq);
  expect(seqs).toEqual(Array.from({ length: last - hello.seq }, (_, i) => hello.seq + 1 + i));
}

describe('viewers on fan-out processes', () => {
  it('viewers spread over the processes get every strike once and in order, joining mid-stream included', async () => {
    const relay = await testRelay({ viewerProcesses: 2 });
    const pool = relay.viewers as ViewerShardPool;
    expect(pool.pids).toHaveLength(2);
    expect(pool.pids).not.toContain(process.pid);
    const chicago = await device(relay.ws('/device'), TEST_TOKENS.chicago);
    const viewers: RecordingClient[] = [];
    for (let i = 0; i < 40; i++) {
      viewers.push(await record(relay.ws('/live')));
      chicago.socket.send(`${i % 6}`);
      if (i % 10 === 0) await sleep(5);
    }
    for (let i = 0; i < 60; i++) chicago.socket.send(`${i % 6}`);
    for (const viewer of viewers) await viewer.waitFor(() => viewer.strikes().at(-1)?.seq === 100);
    for (const viewer of viewers) expectEveryStrikeOnce(viewer, 100);
    // Both processes took viewers, and the relay counts them all.
    expect(pool.shardViewers.every((count) => count >= 10)).toBe(true);
    await waitUntil(async () => ((await (await fetch(`${relay.url}/healthz`)).json()) as { viewers: number }).viewers === 40, 2_000, 'healthz to count 40');
  });

  it('a station filter and a resume (since) work through a fan-out process', async () => {
    const relay = await testRelay({ viewerProcesses: 2 });
    const chicago = await device(relay.ws('/device'), TEST_TOKENS.chicago);
    const tokyo = await device(relay.ws('/device'), TEST_TOKENS.tokyo);
    const first = await record(relay.ws('/live'));
    chicago.socket.send('1,2,3');
    await first.waitFor(() => first.strikes().length === 3);
    const hello = first.messages[0]!;
    if (hello.type !== 'hello') throw new Error('no hello');
    const onlyTokyo = await record(relay.ws('/live?stations=tokyo'));
    const resumed = await record(relay.ws(`/live?since=1&epoch=${hello.epoch}`));
    tokyo.socket.send('4');
    chicago.socket.send('5');
    await resumed.waitFor(() => resumed.strikes().length === 4);
    expect(resumed.strikes().map((s) => s.seq)).toEqual([2, 3, 4, 5]);
    await onlyTokyo.waitFor(() => onlyTokyo.strikes().length === 1);
    await sleep(50);
    expect(onlyTokyo.strikes().map((s) => s.station)).toEqual(['tokyo']);
  });

  it('a fan-out process that dies is started again, and its viewers come back and resume', async () => {
    const relay = await testRelay({ viewerProcesses: 2 });
    const pool = relay.viewers as ViewerShardPool;
    const chicago = await device(relay.ws('/device'), TEST_TOKENS.chicago);
    const viewers = await Promise.all(Array.from({ length: 6 }, () => record(relay.ws('/live'))));
    chicago.socket.send('1,2');
    for (const viewer of viewers) await viewer.waitFor(() => viewer.strikes().length === 2);
    const [victim] = pool.pids;
    process.kill(victim!, 'SIGKILL');
    const codes = await Promise.all(viewers.map((v) => Promise.race([v.closed, sleep(3_000).then(() => 0)])));
    const dropped = viewers.filter((_, i) => codes[i] !== 0);
    expect(dropped.length).toBe(3); // the dead process's share, and only that
    chicago.socket.send('3');
    await waitUntil(() => pool.pids.length === 2 && !pool.pids.includes(victim!), 5_000, 'the process to be started again');
    await pool.ready();
    const hello = viewers[0]!.messages[0]!;
    if (hello.type !== 'hello') throw new Error('no hello');
    const back = await Promise.all(dropped.map((v) => record(relay.ws(`/live?since=${v.strikes().at(-1)!.seq}&epoch=${hello.epoch}`))));
    chicago.socket.send('4');
    for (const viewer of back) {
      await viewer.waitFor(() => viewer.strikes().length === 2);
      expect(viewer.strikes().map((s) => s.seq)).toEqual([3, 4]);
    }
    await waitUntil(() => relay.hub.viewerCount === 6, 2_000, 'the count to recover');
  });

  it('a slow viewer is cut at the backlog limit in its process, and the relay counts it', async () => {
    const relay = await testRelay({ viewerProcesses: 1, stations: testStations({ strikesPerSecond: 1_000_000, burst: 1_000_000 }) });
    const stalled = await record(relay.ws('/live'));
    const healthy = await record(relay.ws('/live'));
    stalled.socket.pause();
    const chicago = await device(relay.ws('/device'), TEST_TOKENS.chicago);
    const frame = Array.from({ length: 1000 }, (_, i) => String(i % 6)).join(',');
    let sent = 0;
    while (relay.viewers.stats.slowViewerCloses === 0 && sent < 400_000) {
      chicago.socket.send(frame);
      sent += 1000;
      await sleep(25);
    }
    await healthy.waitFor(() => healthy.strikes().length === sent, 10_000);
    expect(relay.viewers.stats.slowViewerCloses).toBe(1);
    await waitUntil(() => relay.hub.viewerCount === 1, 2_000, 'the count to drop');
    stalled.socket.resume();
    expect(await stalled.closed).toBe(1013);
  }, 60_000);

  it('shutdown sends every accepted strike, closes viewers with 1001 and leaves no process behind', async () => {
    const relay = await testRelay({ viewerProcesses: 2 });
    const pool = relay.viewers as ViewerShardPool;
    const pids = pool.pids;
    const viewers = await Promise.all(Array.from({ length: 4 }, () => record(relay.ws('/live'))));
    const chicago = await device(relay.ws('/device'), TEST_TOKENS.chicago);
    chicago.socket.send('1,2,3');
    await waitUntil(() => relay.hub.seq === 3, 2_000, 'strikes accepted');
    await relay.close();
    for (const viewer of viewers) {
      expect(await viewer.closed).toBe(1001);
      expect(viewer.strikes().map((s) => s.seq)).toEqual([1, 2, 3]);
    }
    await waitUntil(() => pids.every((pid) => !alive(pid)), 3_000, 'fan-out processes to exit');
  });
});
