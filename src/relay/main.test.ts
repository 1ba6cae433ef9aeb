// The relay process: start-up from env, bad config, SIGTERM, and the embedded simulator.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { spawnRelay } from '../../test/support/relayProcess';
import { TEST_TOKENS, testStations } from '../../test/support/relayFixture';
import { device, record } from '../../test/support/wsClient';
import { RELAY_FROM_SOURCE_ARGS, RELAY_NODE_FLAGS } from './nodeFlags';

function stationsFile(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'aeolian-')), 'stations.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('relay process', () => {
  it('SIGTERM closes every socket with 1001 within a second, then exits 0', async () => {
    const relay = await spawnRelay({ STATIONS: stationsFile(testStations()) });
    const viewer = await record(relay.ws('/live'));
    const chicago = await device(relay.ws('/device'), TEST_TOKENS.chicago);
    const sentAt = Date.now();
    relay.child.kill('SIGTERM');
    expect(await viewer.closed).toBe(1001);
    expect(await chicago.closed).toBe(1001);
    expect(Date.now() - sentAt).toBeLessThan(1000);
    expect(await relay.exited).toBe(0);
  });

  it('a bad stations file stops start-up with a message naming the entry and field', async () => {
    const path = stationsFile([testStations()[0], { ...testStations()[1], chimes: 0 }]);
    const child = spawn(process.execPath, RELAY_FROM_SOURCE_ARGS, {
      env: { ...process.env, PORT: '0', SIM: '0', STATIONS: path },
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('entry 1 ("tokyo"): chimes:');
  });

  it('a port already in use stops start-up with one line saying what to do, not a stack trace', async () => {
    const holder = await spawnRelay({ STATIONS: stationsFile(testStations()) });
    const port = new URL(holder.url).port;
    const child = spawn(process.execPath, RELAY_FROM_SOURCE_ARGS, {
      env: { ...process.env, PORT: port, SIM: '0', STATIONS: stationsFile(testStations()), ARCHIVE_PATH: '' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    holder.child.kill('SIGTERM');
    await holder.exited;
    expect(code).toBe(1);
    expect(stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('a relay started without its node flags says which and why; one started with them says nothing', async () => {
    const stations = stationsFile(testStations());
    const bare = await spawnRelay({ STATIONS: stations }, RELAY_FROM_SOURCE_ARGS.slice(RELAY_NODE_FLAGS.length));
    const flagged = await spawnRelay({ STATIONS: stations });
    expect(bare.output()).toContain('"event":"node_flags_missing"');
    expect(bare.output()).toContain('started without node --no-memory-reducer --heap-growing-percent=100: full garbage collections will stall the fan-out');
    expect(flagged.output()).not.toContain('node_flags_missing');
    bare.child.kill('SIGTERM');
    flagged.child.kill('SIGTERM');
    expect(await bare.exited).toBe(0);
    expect(await flagged.exited).toBe(0);
  });

  it('with SIM on, simulated stations connect over /device and their strikes reach viewers', async () => {
    const realChicago = { ...testStations()[0]!, name: 'Chicago rooftop' };
    const relay = await spawnRelay({ SIM: '1', SIM_SEED: '7', STATIONS: stationsFile([realChicago]) });
    const viewer = await record(relay.ws('/live'));
    const hello = viewer.messages[0];
    if (hello?.type !== 'hello') throw new Error('no hello');
    expect(hello.stations.length).toBeGreaterThanOrEqual(6);
    // A real station with the same id wins over the simulated one, and only simulated ones say so.
    expect(hello.stations.filter((s) => s.id === 'chicago')).toMatchObject([{ name: 'Chicago rooftop' }]);
    expect(hello.stations.find((s) => s.id === 'chicago')).not.toHaveProperty('simulated');
    expect(hello.stations.filter((s) => s.simulated).length).toBeGreaterThanOrEqual(5);
    await viewer.waitFor(() => viewer.strikes().length >= 3, 15_000);
    const seqs = viewer.strikes().map((s) => s.seq);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    const health = (await (await fetch(`${relay.url}/healthz`)).json()) as { devices: number };
    expect(health.devices).toBeGreaterThanOrEqual(5);
    relay.child.kill('SIGTERM');
    expect(await relay.exited).toBe(0);
  });
});
