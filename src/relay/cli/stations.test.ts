import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { parseStationsFile } from '../stations/stationsFile';
import { sha256Hex } from '../stations/tokens';
import { joinNegativeValues, runStationsCli } from './stations';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function setUp() {
  dir = mkdtempSync(join(tmpdir(), 'aeolian-cli-'));
  const file = join(dir, 'stations.json');
  writeFileSync(file, '[]\n');
  const lines: string[] = [];
  const run = (...args: string[]) => runStationsCli([...args, '--file', file], { out: (line) => lines.push(line), env: {} });
  const stations = () => parseStationsFile(readFileSync(file, 'utf8'), file);
  return { run, lines, stations };
}

it('add, set, rotate, list and rm edit the file; tokens are printed once and stored as hashes', () => {
  const { run, lines, stations } = setUp();
  expect(run('add', 'lima', '--name', 'Lima', '--lat=-12.05', '--lon=-77.04', '--chimes', '5', '--particle-id', 'e00fabc')).toBe(0);
  const token = lines.at(-1)!;
  expect(stations()[0]).toMatchObject({ id: 'lima', particleId: 'e00fabc', tokenSha256: sha256Hex(token) });

  expect(run('set', 'lima', '--name', 'Lima port', '--muted', '--particle-id', 'none')).toBe(0);
  expect(stations()[0]).toMatchObject({ name: 'Lima port', muted: true });
  expect(stations()[0]!.particleId).toBeUndefined();

  expect(run('rotate', 'lima')).toBe(0);
  expect(stations()[0]!.tokenSha256).toBe(sha256Hex(lines.at(-1)!));
  expect(lines.at(-1)).not.toBe(token);

  run('list');
  expect(lines.at(-1)).toBe('lima\tLima port\t-12.05,-77.04\t5 chimes\tMUTED');
  expect(run('rm', 'lima')).toBe(0);
  expect(stations()).toEqual([]);
});

it('refuses bad input with a message naming the field, leaving the file alone', () => {
  const { run, stations } = setUp();
  expect(() => run('add', 'x', '--name', 'X', '--lat', '100', '--lon', '0', '--chimes', '3')).toThrow(/^lat:/);
  expect(() => run('set', 'ghost', '--name', 'Y')).toThrow(/no station "ghost"/);
  expect(() => run('frobnicate')).toThrow(/unknown command/);
  expect(stations()).toEqual([]);
});

it('takes negative numbers as option values, with or without "="', () => {
  const { run, stations } = setUp();
  expect(run('add', 'sf', '--name', 'San Francisco', '--lat', '37.77', '--lon', '-122.4', '--chimes', '5')).toBe(0);
  expect(stations()[0]).toMatchObject({ lat: 37.77, lon: -122.4 });
  expect(run('set', 'sf', '--lat', '-.5', '--lon=-1')).toBe(0);
  expect(stations()[0]).toMatchObject({ lat: -0.5, lon: -1 });
});

it('joins only a value that looks like a negative number, and only after an option taking one', () => {
  expect(joinNegativeValues(['add', 'x', '--lon', '-122.4', '--muted', '--lat', '-3'])).toEqual(['add', 'x', '--lon=-122.4', '--muted', '--lat=-3']);
  expect(joinNegativeValues(['set', 'x', '--muted', '-h'])).toEqual(['set', 'x', '--muted', '-h']);
  expect(joinNegativeValues(['add', 'x', '--name', '-h'])).toEqual(['add', 'x', '--name', '-h']);
});

it('list says when there are no stations, and that the page then shows simulated ones', () => {
  const { run, lines } = setUp();
  expect(run('list')).toBe(0);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^no stations in .*stations\.json yet/);
  expect(lines[0]).toMatch(/shows simulated stations/);
});

it('refuses a name that would write escape sequences to the terminal, and never prints one', () => {
  const { run, lines, stations } = setUp();
  expect(() => run('add', 'lima', '--name', '\u001b[2J\u001b[31mLima', '--lat', '0', '--lon', '0', '--chimes', '3')).toThrow(
    /^name: must not contain control or bidirectional-override characters/,
  );
  expect(run('add', 'lima', '--name', 'Lima', '--lat', '0', '--lon', '0', '--chimes', '3')).toBe(0);
  expect(() => run('set', 'lima', '--name', 'Lima\u202E')).toThrow(/^name: /);
  expect(() => run('set', 'lima', '--name', '  ')).toThrow(/^name: must have a visible character/);
  run('list');
  expect(stations()[0]!.name).toBe('Lima');
  for (const unsafe of ['\u001b', '\u0007', '\u202e']) expect(lines.join('\n')).not.toContain(unsafe);
});
