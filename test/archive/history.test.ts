// GET /api/history against a relay with an archive: NDJSON strikes shaped like the live stream,
// ordered by strike time, filtered, limited, and clear errors naming the bad parameter.
import { mkdirSync, mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRelayMessage, type StrikeMessage } from '../../src/protocol';
import { StrikeArchive } from '../../src/relay/archive/archive';
import { hourFileOf } from '../../src/relay/archive/archiveFiles';
import { createLogger } from '../../src/relay/log';
import { TEST_TOKENS, testRelay } from '../support/relayFixture';
import { device, record } from '../support/wsClient';

const log = createLogger('silent');
const archives: StrikeArchive[] = [];
afterEach(async () => {
  await Promise.all(archives.splice(0).map((archive) => archive.close()));
});

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'aeolian-archive-'));
}

function strikeLines(text: string): StrikeMessage[] {
  return text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const parsed = parseRelayMessage(line);
      if (!parsed.ok || parsed.message.type !== 'strike') throw new Error(`not a strike message: ${line}`);
      return parsed.message;
    });
}

const iso = (t: number) => new Date(t).toISOString();

describe('GET /api/history', () => {
  it('streams the range as live strike messages ordered by strike time, filtered by station', async () => {
    const relay = await testRelay({ archivePath: tempDir() });
    const viewer = await record(relay.ws('/live'));
    const chicago = await device(relay.ws('/device'), TEST_TOKENS.chicago);
    const tokyo = await device(relay.ws('/device'), TEST_TOKENS.tokyo);
    chicago.socket.send('0@3000,1@1000');
    await viewer.waitFor(() => viewer.strikes().length === 2);
    tokyo.socket.send('2@2000');
    await viewer.waitFor(() => viewer.strikes().length === 3);
    const live = viewer.strikes();
    const ts = live.map((s) => s.t);
    const from = iso(Math.min(...ts));
    const to = iso(Math.max(...ts) + 1);

    const response = await fetch(`${relay.url}/api/history?from=${from}&to=${to}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/x-ndjson/);
    const archived = strikeLines(await response.text());
    expect(archived).toEqual([...live].sort((a, b) => a.t - b.t));
    expect(archived.map((s) => [s.station, s.chime])).toEqual([['chicago', 0], ['tokyo', 2], ['chicago', 1]]);

    const onlyTokyo = strikeLines(await (await fetch(`${relay.url}/api/history?from=${from}&to=${to}&stations=tokyo`)).text());
    expect(onlyTokyo.map((s) => s.station)).toEqual(['tokyo']);
    // `to` is exclusive: the latest strike is left out when to equals its t.
    const earlier = strikeLines(await (await fetch(`${relay.url}/api/history?from=${from}&to=${iso(Math.max(...ts))}`)).text());
    expect(earlier.map((s) => s.chime)).toEqual([0, 2]);
  });

  it('answers bad parameters with 400 naming the parameter', async () => {
    const relay = await testRelay({ archivePath: tempDir() });
    const cases: [string, string, RegExp][] = [
      ['from=last+tuesday&to=2025-11-25T15:00:00Z', 'from', /not an ISO 8601 time/],
      ['from=2025-11-24T00:00:00Z&to=2025-11-25T15:00:00Z', 'to', /spans 39 h; at most 24 h/],
      ['from=2025-11-25T14:00:00Z&to=2025-11-25T15:00:00Z&stations=../../etc', 'stations', /not a station id/],
    ];
    for (const [query, parameter, error] of cases) {
      const response = await fetch(`${relay.url}/api/history?${query}`);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: string; parameter: string };
      expect(body.parameter).toBe(parameter);
      expect(body.error).toMatch(error);
    }
  });

  it('every JSON and NDJSON answer says X-Content-Type-Options: nosniff', async () => {
    const relay = await testRelay({ archivePath: tempDir() });
    const range = `from=${iso(Date.now() - 60_000)}&to=${iso(Date.now())}`;
    for (const path of [`/api/history?${range}`, '/api/history?from=nope', '/api/stations', '/healthz']) {
      const response = await fetch(`${relay.url}${path}`);
      await response.arrayBuffer();
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });

  it('says 404 when the relay keeps no archive', async () => {
    const relay = await testRelay();
    const response = await fetch(`${relay.url}/api/history?from=2025-11-25T14:00:00Z&to=2025-11-25T15:00:00Z`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: string }).error).toMatch(/ARCHIVE_PATH/);
  });
});

describe('StrikeArchive', () => {
  const strike = (seq: number, t: number, station = 'chicago'): StrikeMessage => ({ type: 'strike', seq, station, chime: seq % 6, v: 1, t });
  const recordStrike = (archive: StrikeArchive, message: StrikeMessage) => archive.record(message, Buffer.from(JSON.stringify(message)));

  it('refuses a range holding more than the size limit', async () => {
    const archive = await StrikeArchive.open(tempDir(), { retentionDays: 30, log });
    archives.push(archive);
    archive.beginEpoch('e1');
    const t0 = Date.parse('2025-11-25T14:00:00Z');
    for (let seq = 1; seq <= 5; seq++) recordStrike(archive, strike(seq, t0 + seq));
    const range = { from: t0, to: t0 + 60_000, stations: null };
    expect(await archive.query(range, 5)).toMatchObject({ ok: true, lines: expect.any(Array) });
    expect(await archive.query(range, 4)).toEqual({ ok: false, reason: 'too_many' });
  });

  it('retention deletes days older than the setting and keeps the rest', async () => {
    const dir = tempDir();
    const now = Date.parse('2025-11-25T14:00:00Z');
    const old = hourFileOf(dir, now - 40 * 86_400_000);
    const recent = hourFileOf(dir, now - 2 * 86_400_000);
    for (const file of [old, recent]) {
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, `${JSON.stringify(strike(1, now))}\n`);
    }
    const archive = await StrikeArchive.open(dir, { retentionDays: 30, log, now: () => now });
    archives.push(archive);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(recent)).toBe(true);
  });

  it('a line torn by a crash is skipped and strikes appended after it are intact', async () => {
    const dir = tempDir();
    const t0 = Date.parse('2025-11-25T14:10:00Z');
    const file = hourFileOf(dir, t0);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, `${JSON.stringify(strike(1, t0))}\n{"type":"strike","seq":2,"station":"chic`);
    const archive = await StrikeArchive.open(dir, { retentionDays: 30, log, now: () => t0 });
    archives.push(archive);
    archive.beginEpoch('e2');
    recordStrike(archive, strike(1, t0 + 5));
    const result = await archive.query({ from: t0, to: t0 + 60_000, stations: null }, 100);
    expect(result.ok && result.lines.map((line) => JSON.parse(line).t)).toEqual([t0, t0 + 5]);
  });
});
