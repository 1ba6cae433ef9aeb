// Browser tests run against the built page served by a real relay: build it once per run, into a
// folder of this run's own (DIST_DIR, which every relay the tests start inherits), so a second test
// run, or an `npm start` serving dist/, is never rebuilt under someone's feet.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';

export default async function buildOnce(): Promise<() => void> {
  const outDir = mkdtempSync(join(tmpdir(), 'aeolian-e2e-dist-'));
  // Test what visitors get: vitest sets NODE_ENV=test, which would bundle React's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ logLevel: 'warn', mode: 'production', build: { outDir, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  process.env.DIST_DIR = outDir;
  return () => rmSync(outDir, { recursive: true, force: true });
}
