// Three relay processes on one Redis: devices on A, viewers on B and C, C killed mid-run. Every
// viewer hears the same numbered stream, a viewer of C resumes on B without a gap, and C, restarted,
// catches its archive up from the shared stream.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { TEST_TOKENS, testStations } from '../support/relayFixture';
import { spawnRelay } from '../support/relayProcess';
import { startRedis } from '../support/redis';
import { device, record } from '../support/wsClient';

const STRIKES_PER_STATION = 40;

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'aeolian-relays-'));
}

describe('backplane: three relay processes', () => {
  it('devices on A, viewers on B and C: same seqs in the same order; C dies, its viewer resumes on B', async () => {
    const redis = await startRedis();
    const stations = join(tempDir(), 'stations.json');
    writeFileSync(stations, JSON.stringify(testStations()));
    const archiveC = tempDir();
    const env = (archive: string) => ({ REDIS_URL: redis.url, STATIONS: stations, ARCHIVE_PATH: archive });
    const [a, b, c] = await Promise.all([spawnRelay(env(tempDir())), spawnRelay(env(tempDir())), spawnRelay(env(archiveC))]);
    const onB = await record(b.ws('/live'));
    const onC = await record(c.ws('/live'));
    const hello = onB.messages[0];
    const epoch = hello?.type === 'hello' ? hello.epoch : '';
    expect(onC.messages[0]).toMatchObject({ type: 'hello', epoch });
    const chicago = await device(a.ws('/device'), TEST_TOKENS.chicago);
    const tokyo = await device(a.ws('/device'), TEST_TOKENS.tokyo);

    let resumedOnB: Awaited<ReturnType<typeof record>> | undefined;
    let seenOnC = 0;
    for (let i = 0; i < STRIKES_PER_STATION; i++) {
      chicago.socket.send(`${i % 6}@${i}`);
      tokyo.socket.send(`${(i + 3) % 6}:0.5@${i}`);
      await sleep(25); // paced over a second, so C is killed mid-stream
      if (i === STRIKES_PER_STATION / 2) {
        c.child.kill('SIGKILL');
        await onC.closed;
        seenOnC = onC.strikes().length;
        const lastSeq = onC.strikes().at(-1)?.seq ?? 0;
        resumedOnB = await record(b.ws(`/live?since=${lastSeq}&epoch=${epoch}`));
      }
    }
    const total = 2 * STRIKES_PER_STATION;
    await onB.waitFor(() => onB.strikes().length === total, 10_000);
    await resumedOnB!.waitFor(() => resumedOnB!.strikes().at(-1)?.seq === total, 10_000);

    const all = onB.strikes();
    expect(all.map((s) => s.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(seenOnC).toBeGreaterThan(0);
    expect([...onC.strikes(), ...resumedOnB!.strikes()]).toEqual(all);
    expect(resumedOnB!.messages[0]).toMatchObject({ type: 'hello', epoch });
    expect(resumedOnB!.messages[0]).not.toHaveProperty('gap');

    // C comes back on the same archive and fills it from the shared stream: nothing missing, nothing twice.
    const c2 = await spawnRelay(env(archiveC));
    const from = new Date(Date.now() - 120_000).toISOString();
    const to = new Date(Date.now() + 1_000).toISOString();
    const response = await fetch(`${c2.url}/api/history?from=${from}&to=${to}`);
    expect(response.status).toBe(200);
    const lines = (await response.text()).trim().split('\n').map((line) => JSON.parse(line) as { seq: number });
    expect(lines.map((s) => s.seq).sort((x, y) => x - y)).toEqual(all.map((s) => s.seq));
  });
});
