// Editing the stations file while the relay runs: `npm run stations` changes take effect at once.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_TOKENS, testRelay, testStations } from '../../../test/support/relayFixture';
import { device, httpStatusOf, record } from '../../../test/support/wsClient';
import { waitUntil } from '../../../test/faults/support';
import { runStationsCli } from '../cli/stations';
import { formatStationsFile } from './stationsStore';
import { watchStationsFile, type StationsWatcher } from './stationsWatcher';

let watcher: StationsWatcher | undefined;
const folders: string[] = [];
afterEach(() => {
  watcher?.close();
  watcher = undefined;
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

async function relayWithStationsFile() {
  const folder = mkdtempSync(join(tmpdir(), 'aeolian-stations-'));
  folders.push(folder);
  const path = join(folder, 'stations.json');
  writeFileSync(path, formatStationsFile(testStations()));
  const relay = await testRelay({ stations: testStations(), stationsPath: path });
  watcher = watchStationsFile(relay, path);
  /** Runs `npm run stations -- <args>` on the file; returns what it printed. */
  const cli = (...args: string[]) => {
    const lines: string[] = [];
    expect(runStationsCli([...args, '--file', path], { out: (line) => lines.push(line), env: {} })).toBe(0);
    return lines.join('\n');
  };
  const stationIds = async () => ((await (await fetch(`${relay.url}/api/stations`)).json()) as { id: string }[]).map((s) => s.id);
  return { relay, path, cli, stationIds };
}

describe('the stations file, edited while the relay runs', () => {
  it('a station added with the CLI can connect and be heard at once, without a restart', async () => {
    const { relay, cli, stationIds } = await relayWithStationsFile();
    const viewer = await record(relay.ws('/live'));
    const printed = cli('add', 'lagos', '--name', 'Lagos', '--lat', '6.52', '--lon', '3.38', '--chimes', '6');
    const token = /[A-Za-z0-9_-]{32,}/.exec(printed)?.[0];
    expect(token).toBeDefined();
    await waitUntil(async () => (await stationIds()).includes('lagos'), 5_000, 'the relay to list lagos');
    await viewer.waitFor((m) => m.some((x) => x.type === 'station' && x.station.id === 'lagos'));
    const lagos = await device(relay.ws('/device'), token!);
    lagos.socket.send('4');
    await viewer.waitFor(() => viewer.strikes().some((s) => s.station === 'lagos' && s.chime === 4));
  });

  it('a station removed or a token rotated with the CLI: its device is cut off, viewers see it go', async () => {
    const { relay, cli, stationIds } = await relayWithStationsFile();
    const viewer = await record(relay.ws('/live'));
    const chicago = await device(relay.ws('/device'), TEST_TOKENS.chicago);
    const tokyo = await device(relay.ws('/device'), TEST_TOKENS.tokyo);
    await viewer.waitFor((m) => m.some((x) => x.type === 'station' && x.station.id === 'tokyo' && x.station.online));

    cli('rm', 'chicago');
    expect(await chicago.closed).toBe(1008);
    await viewer.waitFor((m) => m.some((x) => x.type === 'station' && x.station.id === 'chicago' && !x.station.online));
    await viewer.waitFor((m) => m.some((x) => x.type === 'station_removed' && x.station === 'chicago'));
    expect(await stationIds()).toEqual(['tokyo']);
    expect(await httpStatusOf(relay.ws('/device'), { headers: { Authorization: `Bearer ${TEST_TOKENS.chicago}` } })).toBe(401);

    const fresh = /[A-Za-z0-9_-]{32,}/.exec(cli('rotate', 'tokyo'))?.[0];
    expect(await tokyo.closed).toBe(1008);
    const again = await device(relay.ws('/device'), fresh!);
    again.socket.send('2');
    await viewer.waitFor(() => viewer.strikes().some((s) => s.station === 'tokyo'));
  });

  it('a broken file is refused and the stations in use stay; the next good save applies', async () => {
    const { relay, path, stationIds } = await relayWithStationsFile();
    writeFileSync(path, '[{"id": "chicago", oops');
    expect(watcher!.reload()).toBeUndefined();
    writeFileSync(path, formatStationsFile(testStations().map((s) => ({ ...s, lat: 0 })).concat({ ...testStations()[0]!, id: 'bad', chimes: 99 })));
    expect(watcher!.reload()).toBeUndefined();
    expect(await stationIds()).toEqual(['chicago', 'tokyo']);
    expect(relay.stations.get('chicago')!.config.lat).toBeCloseTo(41.88);

    writeFileSync(path, formatStationsFile(testStations({ name: 'Chicago (lakefront)' })));
    await waitUntil(() => relay.stations.get('chicago')!.config.name === 'Chicago (lakefront)', 5_000, 'the good save to apply');
  });

  it('reading back a file the relay already matches changes nothing', async () => {
    const { relay, cli } = await relayWithStationsFile();
    cli('set', 'tokyo', '--muted');
    await waitUntil(() => relay.stations.get('tokyo')!.config.muted === true, 5_000, 'the mute to apply');
    expect(watcher!.reload()).toEqual({ added: [], changed: [], removed: [], skipped: [] });
  });
});
