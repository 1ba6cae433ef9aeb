// Compiles one of the bench's C programs (sweepFloor.c, viewerSwarm.c) with Debian's gcc into a
// fresh temp folder: with liburing where it is installed (and `uringDefine`, so the program may use
// io_uring), else plain.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BuiltC {
  binary: string;
  withLiburing: boolean;
  dispose(): void;
}

/** `source` is a file name in this folder, e.g. `sweepFloor.c`. */
export function buildC(source: string, uringDefine: string): BuiltC {
  const name = source.replace(/\.c$/, '');
  const dir = mkdtempSync(join(tmpdir(), `aeolian-${name}-`));
  const binary = join(dir, name);
  const path = new URL(`./${source}`, import.meta.url).pathname;
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  try {
    execFileSync('gcc', ['-O2', '-Wall', `-D${uringDefine}`, '-o', binary, path, '-l:liburing.a'], { stdio: 'pipe' });
    return { binary, withLiburing: true, dispose };
  } catch {
    execFileSync('gcc', ['-O2', '-Wall', '-o', binary, path], { stdio: 'inherit' });
    return { binary, withLiburing: false, dispose };
  }
}
