// Builds the relay's native viewer write (native/viewerWrite.c -> native/build/viewerWrite.node)
// with the system C compiler against Node's own headers. Run before `npm start`, `npm test` and
// the relay benches; rebuilds only when the source is newer. Without a compiler or headers it says
// so and exits 0: the relay then writes through Node (same bytes, more CPU per write). With liburing
// (Debian's liburing-dev, linked in statically so the relay needs nothing of it at run time) the
// fan-out's sweep submits its sends through io_uring; without it, the same file builds with write(2).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'native', 'viewerWrite.c');
const output = join(root, 'native', 'build', 'viewerWrite.node');

/** Where this Node's C headers are: beside its binary (official builds, nvm) or the system's. */
function nodeHeaders(): string | undefined {
  const candidates = [join(dirname(process.execPath), '..', 'include', 'node'), '/usr/include/node', '/usr/local/include/node'];
  return candidates.find((dir) => existsSync(join(dir, 'node_api.h')));
}

function main(): void {
  if (existsSync(output) && statSync(output).mtimeMs >= statSync(source).mtimeMs) return;
  const headers = nodeHeaders();
  if (!headers) {
    console.warn('native viewer write not built: no node_api.h found; the relay writes through Node');
    return;
  }
  const compiler = process.env.CC ?? 'cc';
  const compile = (flags: string[]) =>
    execFileSync(compiler, ['-O2', '-Wall', '-Werror', '-shared', '-fPIC', `-I${headers}`, source, '-o', output, ...flags], { stdio: 'pipe' });
  mkdirSync(dirname(output), { recursive: true });
  try {
    compile(['-l:liburing.a']);
    console.log(`native viewer write built, its sweep sending through io_uring: ${output.slice(root.length + 1)}`);
    return;
  } catch {
    // No liburing here (or not the static library): the same source builds with write(2) alone.
  }
  try {
    compile(['-DAEOLIAN_NO_IO_URING']);
    console.log(`native viewer write built, with write(2) (no liburing: apt-get install liburing-dev for io_uring): ${output.slice(root.length + 1)}`);
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    console.warn(`native viewer write not built (${stderr || (error as Error).message.split('\n')[0]}); the relay writes through Node`);
  }
}

main();
