// Builds the firmware's host programs and ARM objects with firmware/Makefile into a folder under
// os.tmpdir() named by a hash of the sources, so nothing is written into the checkout, a rerun
// with unchanged sources rebuilds nothing, and test files running at once share one build (a lock
// folder keeps two `make`s from writing the same objects).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const FIRMWARE_DIR = fileURLToPath(new URL('../../firmware', import.meta.url));

/** A build that takes longer than this is stuck (2 busy cores compile everything in about 40 s). */
const BUILD_TIMEOUT_MS = 150_000;
const LOCK_POLL_MS = 200;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'build') return [];
    return statSync(path).isDirectory() ? sourceFiles(path) : [path];
  });
}

/** The build folder for the current sources. */
export function buildDir(): string {
  const hash = createHash('sha256');
  for (const file of sourceFiles(FIRMWARE_DIR).sort()) hash.update(relative(FIRMWARE_DIR, file)).update(readFileSync(file));
  return join(tmpdir(), `aeolian-firmware-${hash.digest('hex').slice(0, 16)}`);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function withLock<T>(lockDir: string, body: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + BUILD_TIMEOUT_MS;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      break;
    } catch {
      // Held: wait, unless its holder died without letting go.
      let holder = 0;
      try {
        holder = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
      } catch {
        // being created or removed right now
      }
      if (holder > 0 && !processAlive(holder)) rmSync(lockDir, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`firmware build lock ${lockDir} held too long`);
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    }
  }
  try {
    return await body();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/** Runs `make <targets>` for the firmware; resolves with the build folder. Throws with the compiler's output. */
export async function buildFirmware(...targets: string[]): Promise<string> {
  const dir = buildDir();
  mkdirSync(dir, { recursive: true });
  await withLock(`${dir}.lock`, async () => {
    try {
      await run('make', ['-C', FIRMWARE_DIR, '-j2', `BUILD_DIR=${dir}`, ...targets], { timeout: BUILD_TIMEOUT_MS, maxBuffer: 16 << 20 });
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      throw new Error(`firmware build of ${targets.join(' ')} failed:\n${stderr ?? ''}\n${(stdout ?? '').slice(-2000)}`);
    }
  });
  return dir;
}

/** True when a program is on PATH. */
export async function haveProgram(name: string): Promise<boolean> {
  try {
    await run('sh', ['-c', `command -v ${name}`]);
    return true;
  } catch {
    return false;
  }
}
