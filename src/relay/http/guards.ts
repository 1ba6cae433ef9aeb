// Limits on the HTTP layer that every websocket handshake passes through: a slow or oversized
// request head is answered with its status (408, 431, 400) and closed, and counted for /metrics.
import type { Server, ServerOptions } from 'node:http';
import type { Duplex } from 'node:stream';
import { HANDSHAKE_TIMEOUT_MS, HTTP_REQUEST_TIMEOUT_MS, MAX_HANDSHAKE_HEADER_BYTES, REFUSED_REQUEST_LINGER_MS } from '../../protocol';
import { rejectUpgrade } from './upgrade';

/** Connection-level events the gateways do not count themselves (handshake timeouts, 431s), for /metrics. */
export interface HttpAbuseStats {
  handshakeTimeouts: number;
  oversizeHeaders: number;
  badRequests: number;
}

/** Options for `createServer`: Node checks the timeouts on this interval, so it bounds their precision. */
export function guardedServerOptions(handshakeTimeoutMs = HANDSHAKE_TIMEOUT_MS): ServerOptions {
  return {
    maxHeaderSize: MAX_HANDSHAKE_HEADER_BYTES,
    headersTimeout: handshakeTimeoutMs,
    requestTimeout: Math.max(handshakeTimeoutMs, HTTP_REQUEST_TIMEOUT_MS),
    connectionsCheckingInterval: Math.min(1_000, Math.max(100, Math.floor(handshakeTimeoutMs / 4))),
  };
}

/** Answers what Node's HTTP parser refuses with the matching status instead of a bare close. */
export function guardClientErrors(server: Server, stats: HttpAbuseStats): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const status = statusFor(error.code);
    if (status === 408) stats.handshakeTimeouts++;
    else if (status === 431) stats.oversizeHeaders++;
    else if (status === 400) stats.badRequests++;
    if (status === undefined || !socket.writable) {
      socket.destroy();
      return;
    }
    rejectUpgrade(socket, status, status === 408 ? 'request head too slow' : status === 431 ? 'request head too large' : 'bad request');
    // A peer that never reads its answer must not hold the socket open.
    setTimeout(() => socket.destroy(), REFUSED_REQUEST_LINGER_MS).unref();
  });
}

function statusFor(code: string | undefined): number | undefined {
  if (code === 'ECONNRESET' || code === 'EPIPE') return undefined;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  if (code === 'HPE_HEADER_OVERFLOW') return 431;
  if (code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') return 413;
  return 400;
}
