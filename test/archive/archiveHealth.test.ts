// An archive that cannot write must say so: refused at start-up when its folder is not writable,
// and /healthz "degraded" while writes fail (ok again once they succeed), never a silent loss.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARCHIVE_FLUSH_INTERVAL_MS } from '../../src/relay/archive/archive';
import { hourFileOf } from '../../src/relay/archive/archiveFiles';
import { TEST_TOKENS, testRelay } from '../support/relayFixture';
import { device, record } from '../support/wsClient';

interface Health {
  status: string;
  archive: { strikesRecorded: number; strikesLost: number; writeFailing: boolean; lastWriteError?: string };
}

async function health(url: string): Promise<Health> {
  return (await (await fetch(`${url}/healthz`)).json()) as Health;
}

async function waitForHealth(url: string, predicate: (health: Health) => boolean): Promise<Health> {
  const deadline = Date.now() + ARCHIVE_FLUSH_INTERVAL_MS * 4;
  for (;;) {
    const now = await health(url);
    if (predicate(now) || Date.now() > deadline) return now;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('archive health', () => {
  it('refuses to start with an ARCHIVE_PATH it cannot write, naming the folder', async () => {
    // /proc/self is a folder no one, root included, can create files in.
    await expect(testRelay({ archivePath: '/proc/self' })).rejects.toThrow(/ARCHIVE_PATH "\/proc\/self": cannot write there/);
  });

  it('/healthz says degraded while archive writes fail, and ok again once they succeed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aeolian-archive-health-'));
    const relay = await testRelay({ archivePath: dir });
    const viewer = await record(relay.ws('/live'));
    const chicago = await device(relay.ws('/device'), TEST_TOKENS.chicago);
    expect((await health(relay.url)).status).toBe('ok');

    // A file where this hour's day folder must go: every write of this hour fails.
    const dayFolder = dirname(hourFileOf(dir, Date.now()));
    writeFileSync(dayFolder, 'in the way');
    chicago.socket.send('1');
    await viewer.waitFor(() => viewer.strikes().length === 1);
    const failing = await waitForHealth(relay.url, (h) => h.archive.strikesLost > 0);
    expect(failing).toMatchObject({ status: 'degraded', archive: { strikesLost: 1, writeFailing: true } });
    expect(failing.archive.lastWriteError).toMatch(/EEXIST|ENOTDIR/);

    rmSync(dayFolder);
    chicago.socket.send('2');
    await viewer.waitFor(() => viewer.strikes().length === 2);
    const recovered = await waitForHealth(relay.url, (h) => !h.archive.writeFailing);
    expect(recovered).toMatchObject({ status: 'ok', archive: { strikesLost: 1, writeFailing: false } });
    rmSync(dir, { recursive: true, force: true });
  });
});
