import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { parseStationsFile } from './stationsFile';
import { StationsStore } from './stationsStore';
import { sha256Hex } from './tokens';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const station = (id: string) => ({ id, name: id, lat: 1, lon: 2, chimes: 5, tokenSha256: sha256Hex(id) });

it('concurrent saves land in order, leave a valid file and no temp files behind', async () => {
  dir = mkdtempSync(join(tmpdir(), 'aeolian-store-'));
  const path = join(dir, 'stations.json');
  const store = new StationsStore(path);
  await Promise.all([store.save([station('a')]), store.save([station('a'), station('b')]), store.save([station('c')])]);
  expect(parseStationsFile(readFileSync(path, 'utf8'), path).map((s) => s.id)).toEqual(['c']);
  expect(readdirSync(dir)).toEqual(['stations.json']);
});

it('a failed write rejects and leaves the previous file intact', async () => {
  dir = mkdtempSync(join(tmpdir(), 'aeolian-store-'));
  const path = join(dir, 'stations.json');
  const store = new StationsStore(path);
  await store.save([station('a')]);
  const broken = new StationsStore(join(dir, 'missing-folder', 'stations.json'));
  await expect(broken.save([station('b')])).rejects.toThrow();
  expect(parseStationsFile(readFileSync(path, 'utf8'), path).map((s) => s.id)).toEqual(['a']);
});
