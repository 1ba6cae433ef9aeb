// Plain HTTP: the built page (precompressed, cache-friendly), the public station list and health.
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import sirv from 'sirv';

export type RouteHandler = (request: IncomingMessage, response: ServerResponse, url: URL) => boolean | Promise<boolean>;

/** On every API answer: a browser must never sniff JSON or NDJSON into something it would run. */
export const NO_SNIFF = { 'X-Content-Type-Options': 'nosniff' } as const;

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    ...NO_SNIFF,
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/** Serves `dist/`: hashed assets cached forever, everything else revalidated; SPA fallback to index.html. */
export function staticPage(distDir: string): RouteHandler {
  if (!existsSync(distDir)) {
    return (_request, response) => {
      response.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('The page is not built yet: run `npm run build` (npm start does this for you).\n');
      return true;
    };
  }
  const serve = sirv(distDir, {
    single: true,
    gzip: true,
    brotli: true,
    etag: true,
    setHeaders(response, pathname) {
      const hashed = pathname.startsWith('/assets/');
      response.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  return (request, response) => {
    serve(request, response, () => {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('not found\n');
    });
    return true;
  };
}
