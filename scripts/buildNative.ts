// Builds the relay's native viewer write (native/viewerWrite.c -> native/build/viewerWrite.node)
// with the system C compiler against Node's own headers. Run before `npm start`, `npm test` and
// the relay benches; rebuilds only when the source is newer. Without a compiler or headers it says
// so and exits 0: the relay then writes through Node (same bytes, more CPU per write).
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
  try {
    mkdirSync(dirname(output), { recursive: true });
    execFileSync(compiler, ['-O2', '-Wall', '-Werror', '-shared', '-fPIC', `-I${headers}`, source, '-o', output], { stdio: 'inherit' });
    console.log(`native viewer write built: ${output.slice(root.length + 1)}`);
  } catch (error) {
    console.warn(`native viewer write not built (${(error as Error).message.split('\n')[0]}); the relay writes through Node`);
  }
}

main();
