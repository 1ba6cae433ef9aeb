// The firmware core's own unit tests (firmware/host/tests), built with g++ under AddressSanitizer
// and UBSan, must all pass; the board glue must compile against the SDK stubs.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildFirmware } from './firmwareBuild';

const run = promisify(execFile);
const BUILD_TIMEOUT_MS = 180_000;

describe('firmware core on the host', () => {
  it('passes every unit test under ASan and UBSan', { timeout: BUILD_TIMEOUT_MS }, async () => {
    const dir = await buildFirmware('host');
    const { stdout } = await run(join(dir, 'host/coreTests'), [], { timeout: 60_000 }).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`core tests failed:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
    });
    expect(stdout).toMatch(/^(\d+) cases, 0 failed checks$/m);
    const cases = Number(/^(\d+) cases/m.exec(stdout)![1]);
    expect(cases).toBeGreaterThanOrEqual(20);
    expect(stdout).not.toMatch(/^FAIL/m);
  });

  it('board glue (Particle, ESP32) compiles against the stubs of the SDK calls it uses', { timeout: BUILD_TIMEOUT_MS }, async () => {
    await expect(buildFirmware('glue')).resolves.toBeTruthy();
  });
});
