// Builds a harness page from e2e/harness/<name> with Vite's build() into tmp/ and serves it on
// loopback with sirv. The caller closes it in afterAll (also on failure).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import sirv from 'sirv';
import { build } from 'vite';

export interface HarnessServer {
  url: string;
  close(): Promise<void>;
}

export async function serveHarness(name: string): Promise<HarnessServer> {
  const root = resolve(import.meta.dirname, name);
  const outDir = resolve(import.meta.dirname, '../../tmp/harness', name);
  await build({ root, configFile: false, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const serve = sirv(outDir, { dev: true });
  const server = createServer((req, res) => serve(req, res));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/${join('index.html')}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
