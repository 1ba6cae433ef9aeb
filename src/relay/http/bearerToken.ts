// The one reader of `Authorization: Bearer <token>` (devices, admin, metrics, webhooks), and the
// one check of a presented secret against the configured one, in constant time.
import type { IncomingMessage } from 'node:http';
import { secretMatches } from '../stations/tokens';

/** The token of an `Authorization: Bearer <token>` header, or undefined (absent, another scheme, malformed). */
export function bearerToken(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

/** Whether the request presents `secret` as its bearer token (compared in constant time). */
export function presentsBearerSecret(request: IncomingMessage, secret: string): boolean {
  return secretMatches(bearerToken(request), secret);
}
