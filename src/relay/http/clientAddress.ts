// Who is on the other end of a request. Behind reverse proxies every socket comes from the proxy,
// so with TRUST_PROXY=n the relay takes the address the n-th proxy saw from X-Forwarded-For,
// counted from the right: entries further left were written by the client and prove nothing.
import type { IncomingMessage } from 'node:http';

/** Most proxies a deployment may declare in front of the relay (TRUST_PROXY). */
export const MAX_TRUSTED_PROXIES = 5;

export function clientAddress(request: IncomingMessage, trustedProxies = 0): string {
  const socketAddress = request.socket.remoteAddress ?? 'unknown';
  if (trustedProxies <= 0) return socketAddress;
  const header = request.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  // [client?, ..., what proxy n saw, ..., what proxy 1 saw] + the socket (proxy 1 itself).
  const chain = [...forwarded, socketAddress];
  return chain[Math.max(0, chain.length - 1 - trustedProxies)]!;
}
