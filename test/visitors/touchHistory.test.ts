// Touches in the archive: kept as their live `touch` lines, left out of GET /api/history unless asked
// for with touches=1, so a replay plays the wind alone or the wind with its visitors.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { TEST_TOKENS, testRelay } from '../support/relayFixture';
import { device, record } from '../support/wsClient';
import { touchClient } from './touchClient';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

it('history leaves touches out by default and includes them, as live touch lines, with touches=1', async () => {
  dir = mkdtempSync(join(tmpdir(), 'aeolian-touch-archive-'));
  const relay = await testRelay({ archivePath: dir });
  const viewer = await record(relay.ws('/live'));
  const chicago = await device(relay.ws('/device'), TEST_TOKENS.chicago);
  await expect.poll(() => relay.stations.get('chicago')?.online).toBe(true);
  const page = await touchClient(relay.url);
  const from = Date.now() - 1_000;
  chicago.socket.send('0');
  await viewer.waitFor(() => viewer.strikes().length === 1);
  expect(await page.touch({ chime: 3, v: 0.4 })).toMatchObject({ type: 'touch_ack', seq: 2 });
  chicago.socket.send('5');
  await viewer.waitFor((m) => m.filter((x) => x.type === 'strike' || x.type === 'touch').length === 3);
  const live = viewer.messages.find((m) => m.type === 'touch')!;

  const range = `from=${new Date(from).toISOString()}&to=${new Date(Date.now() + 1_000).toISOString()}`;
  const windOnly = await fetch(`${relay.url}/api/history?${range}`);
  expect(windOnly.headers.get('x-history-strikes')).toBe('2');
  expect((await windOnly.text()).trim().split('\n').map((line) => (JSON.parse(line) as { type: string }).type)).toEqual(['strike', 'strike']);

  const withVisitors = await fetch(`${relay.url}/api/history?${range}&touches=1`);
  const lines = (await withVisitors.text()).trim().split('\n');
  expect(lines.map((line) => (JSON.parse(line) as { seq: number }).seq)).toEqual([1, 2, 3]);
  expect(JSON.parse(lines[1]!)).toEqual(live);

  const bad = await fetch(`${relay.url}/api/history?${range}&touches=yes`);
  expect(bad.status).toBe(400);
  expect(await bad.json()).toMatchObject({ parameter: 'touches' });
});
