// Which pages may open /touch: the relay's own origin (scheme http or https, and the request's Host)
// and the exact origins of TOUCH_ORIGINS (sites that embed the page). Anything else, a missing Origin
// included, is refused with 403 before a websocket exists.
import type { IncomingMessage } from 'node:http';

/** Reads TOUCH_ORIGINS: exact origins separated by commas; throws naming the first one that is not. */
export function parseTouchOrigins(raw: string | undefined): string[] {
  if (!raw) return [];
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      let origin: string;
      try {
        origin = new URL(entry).origin;
      } catch {
        origin = 'null';
      }
      if (origin === 'null' || origin !== entry.replace(/\/$/, '')) {
        throw new Error(`TOUCH_ORIGINS: ${JSON.stringify(entry)} is not an origin such as https://gallery.example`);
      }
      return origin;
    });
}

export function isAllowedTouchOrigin(request: IncomingMessage, allowed: ReadonlySet<string>): boolean {
  const origin = request.headers.origin;
  if (typeof origin !== 'string' || origin === '') return false;
  if (allowed.has(origin)) return true;
  const host = request.headers.host;
  return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
}
