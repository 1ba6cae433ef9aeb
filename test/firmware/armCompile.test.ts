// The core fits a board: it compiles for a Cortex-M4 with arm-none-eabi-g++ (no exceptions, no
// RTTI) and needs nothing from the C/C++ runtime but memcpy/memset/strlen and compiler helpers: no
// malloc/free/new/delete, no exception or guard machinery. So no heap is used after setup, or ever.
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { buildFirmware, haveProgram } from './firmwareBuild';

const run = promisify(execFile);
const hasArmToolchain = await haveProgram('arm-none-eabi-g++');
if (!hasArmToolchain) console.warn('SKIPPED the Cortex-M compile check: arm-none-eabi-g++ is missing (apt-get install gcc-arm-none-eabi)');

/** What the core may take from outside itself: a few libc functions and ARM EABI compiler helpers. */
const ALLOWED_EXTERNAL = /^(memcpy|memset|memmove|memcmp|strlen|__aeabi_\w+)$/;

it.skipIf(!hasArmToolchain)('the core compiles for a Cortex-M4 and uses no heap, exceptions or RTTI', { timeout: 180_000 }, async () => {
  const dir = await buildFirmware('arm');
  const objects = [...readdirSync(join(dir, 'arm/core')).map((name) => join(dir, 'arm/core', name)), join(dir, 'arm/armCheck.o')];
  expect(objects.length).toBeGreaterThan(10);
  const { stdout } = await run('arm-none-eabi-nm', ['-A', ...objects]);
  const defined = new Set<string>();
  const undefinedSymbols = new Set<string>();
  for (const line of stdout.split('\n')) {
    const match = /^\S+:\s*(?:[0-9a-f]+)?\s+([A-Za-z])\s+(\S+)$/.exec(line);
    if (!match) continue;
    if (match[1] === 'U') undefinedSymbols.add(match[2]!);
    else defined.add(match[2]!);
  }
  const external = [...undefinedSymbols].filter((name) => !defined.has(name));
  expect(external.filter((name) => !ALLOWED_EXTERNAL.test(name))).toEqual([]);
  // The static footprint a board pays (text + data + bss), checked against the smallest target's RAM.
  const { stdout: sizes } = await run('arm-none-eabi-size', ['-t', ...objects]);
  const total = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+\d+\s+[0-9a-f]+\s+\(TOTALS\)/m.exec(sizes);
  expect(total).not.toBeNull();
  const [flash, data, bss] = [Number(total![1]), Number(total![2]), Number(total![3])];
  expect(flash + data).toBeLessThan(64 * 1024);
  expect(data + bss).toBeLessThan(64 * 1024);
});
