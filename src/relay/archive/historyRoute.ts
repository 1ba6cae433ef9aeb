// GET /api/history: a range of archived strikes as NDJSON, each line exactly a live `strike`
// message, ordered by strike time, so the page's replay transport plays it like the live stream.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NO_SNIFF, sendJson, type RouteHandler } from '../http/routes';
import type { Logger } from '../log';
import type { StrikeArchive } from './archive';
import { HISTORY_MAX_STRIKES, parseHistoryQuery } from './historyQuery';

/** History requests served at once; more get 503 (each may hold up to HISTORY_MAX_STRIKES lines). */
export const HISTORY_MAX_CONCURRENT_QUERIES = 2;
/** History requests one client address may have running at once; more get 429. */
export const HISTORY_MAX_QUERIES_PER_ADDRESS = 1;
/** A response whose client reads nothing for this long is cut, and its slot freed. */
export const HISTORY_RESPONSE_STALL_MS = 10_000;
/** A response still streaming after this long is cut (a client reading a trickle holds no slot forever). */
export const HISTORY_RESPONSE_MAX_MS = 5 * 60_000;
/** Response chunk size while streaming. */
const WRITE_CHUNK_BYTES = 64 * 1024;

const CORS = { 'Access-Control-Allow-Origin': '*' };

export interface HistoryRouteOptions {
  /** Who asks (TRUST_PROXY-aware), for the per-address limit. */
  clientOf(request: IncomingMessage): string;
  /** Tests shorten HISTORY_RESPONSE_STALL_MS. */
  stallMs?: number;
  log?: Logger;
}

export function historyRoute(archive: StrikeArchive | undefined, options: HistoryRouteOptions): RouteHandler {
  let running = 0;
  const runningByClient = new Map<string, number>();
  const stallMs = options.stallMs ?? HISTORY_RESPONSE_STALL_MS;
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
    const client = options.clientOf(request);
    const mine = runningByClient.get(client) ?? 0;
    if (mine >= HISTORY_MAX_QUERIES_PER_ADDRESS) {
      sendJson(
        response,
        429,
        { error: `a history request from your address is still running (HISTORY_MAX_QUERIES_PER_ADDRESS = ${HISTORY_MAX_QUERIES_PER_ADDRESS}); retry when it is done` },
        { 'Retry-After': '1', ...CORS },
      );
      return true;
    }
    if (running >= HISTORY_MAX_CONCURRENT_QUERIES) {
      sendJson(response, 503, { error: 'too many history requests at once; retry shortly' }, { 'Retry-After': '1', ...CORS });
      return true;
    }
    running++;
    runningByClient.set(client, mine + 1);
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
      else {
        const cut = await streamLines(response, result.lines, stallMs);
        if (cut) options.log?.info({ event: 'history_response_cut', reason: cut, ip: client }, 'history response cut: client not reading');
      }
      return true;
    } finally {
      running--;
      const left = (runningByClient.get(client) ?? 1) - 1;
      if (left > 0) runningByClient.set(client, left);
      else runningByClient.delete(client);
    }
  };
}

/**
 * Writes lines in chunks, waiting for the socket to drain, so a slow client costs no extra memory.
 * A client that reads nothing for `stallMs`, or is not done after HISTORY_RESPONSE_MAX_MS, is cut.
 */
async function streamLines(response: ServerResponse, lines: readonly string[], stallMs: number): Promise<'stalled' | 'too_long' | undefined> {
  const deadline = Date.now() + HISTORY_RESPONSE_MAX_MS;
  let chunk = '';
  for (const line of lines) {
    chunk += line + '\n';
    if (chunk.length < WRITE_CHUNK_BYTES) continue;
    const flushed = response.write(chunk);
    chunk = '';
    if (!flushed && !(await drained(response, Math.min(stallMs, deadline - Date.now())))) {
      response.destroy();
      return Date.now() >= deadline ? 'too_long' : 'stalled';
    }
    if (response.destroyed) return undefined;
  }
  response.end(chunk);
  return undefined;
}

/** Resolves true once the response drains (or closes), false if `timeoutMs` passes first. */
function drained(response: ServerResponse, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      response.off('drain', onDrain);
      response.off('close', onDrain);
      resolve(ok);
    };
    const onDrain = () => done(true);
    const timer = setTimeout(() => done(false), Math.max(0, timeoutMs));
    response.on('drain', onDrain);
    response.on('close', onDrain);
  });
}
