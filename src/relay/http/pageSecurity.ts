// Headers for the page: a Content-Security-Policy that allows scripts, styles and connections
// from the page's own origin only (plus its own websocket), no inline script, no framing.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { embedParentOrigin } from '../../protocol/embedParent';

/** The websocket origin of the request's own host; anything odd in Host yields no websocket source. */
function ownWebsocketSources(request: IncomingMessage): string {
  const host = request.headers.host ?? '';
  if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host)) return '';
  return ` ws://${host} wss://${host}`;
}

/**
 * Framing is refused, except for `?embed` (made for iframes): then only the `?parent=` origin may
 * frame it, read exactly as the page reads it (embedParentOrigin). Without a valid `?parent=` any
 * site may frame it: the page then says why in the frame and obeys no one's commands, which a
 * blocked frame could not say. Admin and the full page are never framed.
 */
function frameAncestors(request: IncomingMessage): string {
  const url = new URL(request.url ?? '/', 'http://relay.invalid');
  if (!url.searchParams.has('embed') || url.pathname.startsWith('/admin')) return "'none'";
  const parent = url.searchParams.get('parent');
  const origin = parent === null ? undefined : embedParentOrigin(parent);
  return origin ? `'self' ${origin}` : '*';
}

export function pageContentSecurityPolicy(request: IncomingMessage): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${ownWebsocketSources(request)}`,
    // Tone.js loads its audio worklets from blob: URLs it makes itself.
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors(request)}`,
  ].join('; ');
}

export function setPageSecurityHeaders(request: IncomingMessage, response: ServerResponse): void {
  response.setHeader('Content-Security-Policy', pageContentSecurityPolicy(request));
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
}
