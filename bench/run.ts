// `npm run bench`: every `bench:*` script in package.json, one after another (they share 2 cores,
// so never in parallel). Each writes its own section of docs/benchmarks.md.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const { scripts } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
const benches = Object.keys(scripts).filter((name) => name.startsWith('bench:')).sort();
const failed: string[] = [];
for (const name of benches) {
  console.log(`\n=== npm run ${name}`);
  const result = spawnSync('npm', ['run', name], { stdio: 'inherit' });
  if (result.status !== 0) failed.push(name);
}
console.log(`\n${benches.length - failed.length}/${benches.length} benchmarks ran${failed.length ? `; failed: ${failed.join(', ')}` : ''}`);
process.exit(failed.length ? 1 : 0);
