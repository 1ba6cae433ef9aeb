// Builds a harness page from e2e/harness/<name> with Vite's build() into a temp folder of its own
// (never the checkout) and serves it on loopback with sirv. The caller closes it in afterAll (also on
// failure), which also removes the build.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sirv from 'sirv';
import { build } from 'vite';

export interface HarnessServer {
  url: string;
  close(): Promise<void>;
}

export async function serveHarness(name: string): Promise<HarnessServer> {
  const root = resolve(import.meta.dirname, name);
  const outDir = mkdtempSync(join(tmpdir(), `aeolian-harness-${name}-`));
  try {
    await build({ root, configFile: false, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  } catch (error) {
    rmSync(outDir, { recursive: true, force: true });
    throw error;
  }
  const serve = sirv(outDir, { dev: true });
  const server = createServer((req, res) => serve(req, res));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/index.html`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => {
          rmSync(outDir, { recursive: true, force: true });
          done();
        });
      }),
  };
}
