// GET /api/history: a range of archived strikes as NDJSON, each line exactly a live `strike`
// message, ordered by strike time, so the page's replay transport plays it like the live stream.
import type { ServerResponse } from 'node:http';
import { NO_SNIFF, sendJson, type RouteHandler } from '../http/routes';
import type { StrikeArchive } from './archive';
import { HISTORY_MAX_STRIKES, parseHistoryQuery } from './historyQuery';

/** History requests served at once; more get 503 (each may hold up to HISTORY_MAX_STRIKES lines). */
export const HISTORY_MAX_CONCURRENT_QUERIES = 2;
/** Response chunk size while streaming. */
const WRITE_CHUNK_BYTES = 64 * 1024;

const CORS = { 'Access-Control-Allow-Origin': '*' };

export function historyRoute(archive: StrikeArchive | undefined): RouteHandler {
  let running = 0;
  return async (request, response, url) => {
    if (url.pathname !== '/api/history') return false;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendJson(response, 405, { error: 'use GET' }, { Allow: 'GET, HEAD', ...CORS });
      return true;
    }
    if (!archive) {
      sendJson(response, 404, { error: 'this relay keeps no archive (set ARCHIVE_PATH)' }, CORS);
      return true;
    }
    const parsed = parseHistoryQuery(url.searchParams);
    if (!parsed.ok) {
      sendJson(response, 400, { error: parsed.error, parameter: parsed.parameter }, CORS);
      return true;
    }
    if (running >= HISTORY_MAX_CONCURRENT_QUERIES) {
      sendJson(response, 503, { error: 'too many history requests at once; retry shortly' }, { 'Retry-After': '1', ...CORS });
      return true;
    }
    running++;
    try {
      const result = await archive.query(parsed.range, HISTORY_MAX_STRIKES);
      if (!result.ok) {
        sendJson(
          response,
          400,
          { error: `the range holds more than ${HISTORY_MAX_STRIKES} strikes (HISTORY_MAX_STRIKES): ask for a shorter range or fewer stations`, parameter: 'to' },
          CORS,
        );
        return true;
      }
      response.writeHead(200, {
        'Content-Type': 'application/x-ndjson; charset=utf-8',
        'Cache-Control': 'no-store',
        'X-History-Strikes': String(result.lines.length),
        ...NO_SNIFF,
        ...CORS,
      });
      if (request.method === 'HEAD') response.end();
      else await streamLines(response, result.lines);
      return true;
    } finally {
      running--;
    }
  };
}

/** Writes lines in chunks, waiting for the socket to drain, so a slow client costs no extra memory. */
async function streamLines(response: ServerResponse, lines: readonly string[]): Promise<void> {
  let chunk = '';
  for (const line of lines) {
    chunk += line + '\n';
    if (chunk.length < WRITE_CHUNK_BYTES) continue;
    const flushed = response.write(chunk);
    chunk = '';
    if (!flushed) await drained(response);
    if (response.destroyed) return;
  }
  response.end(chunk);
}

function drained(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}
