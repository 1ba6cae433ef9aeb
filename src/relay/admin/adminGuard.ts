// Who may use /api/admin/*: same-origin (or non-browser) requests with the admin token, compared in
// constant time. A client that keeps failing is locked out for exponentially longer (429 with
// Retry-After), so guessing the token from one address is hopeless.
import type { IncomingMessage } from 'node:http';
import { clientAddress } from '../http/clientAddress';
import { presentsBearerSecret } from '../http/bearerToken';

/** Failures a client may make before lockouts start. */
export const ADMIN_AUTH_FREE_FAILURES = 5;
/** Lockout after the n-th extra failure: 2^(n-1) s, capped here. */
export const ADMIN_AUTH_MAX_LOCKOUT_S = 15 * 60;
/** A client with no failure for this long starts from zero again. */
export const ADMIN_AUTH_FAILURE_MEMORY_MS = 60 * 60_000;
/** Clients remembered at once; past this the oldest are forgotten. */
export const ADMIN_AUTH_CLIENTS_TRACKED = 10_000;

export type GuardResult =
  | { ok: true }
  | { ok: false; status: 401 | 403 | 404 | 429; error: string; headers?: Record<string, string> };

interface ClientRecord {
  failures: number;
  lastFailureAt: number;
  lockedUntil: number;
}

export class AdminGuard {
  private readonly clients = new Map<string, ClientRecord>();

  constructor(
    private readonly adminToken: string | undefined,
    private readonly now: () => number = Date.now,
    /** Reverse proxies in front of the relay (TRUST_PROXY): clients are told apart by X-Forwarded-For. */
    private readonly trustedProxies = 0,
  ) {}

  check(request: IncomingMessage): GuardResult {
    if (!isSameOriginOrNotBrowser(request)) {
      return { ok: false, status: 403, error: 'cross-origin requests to the admin API are refused' };
    }
    if (!this.adminToken) return { ok: false, status: 404, error: 'the admin API is off: set ADMIN_TOKEN on the relay' };
    const client = clientAddress(request, this.trustedProxies);
    const now = this.now();
    const record = this.record(client, now);
    if (record && record.lockedUntil > now) {
      const retryAfterS = Math.ceil((record.lockedUntil - now) / 1000);
      return { ok: false, status: 429, error: `too many failed attempts: retry in ${retryAfterS} s`, headers: { 'Retry-After': String(retryAfterS) } };
    }
    if (presentsBearerSecret(request, this.adminToken)) {
      this.clients.delete(client);
      return { ok: true };
    }
    this.fail(client, now);
    return { ok: false, status: 401, error: 'Authorization: Bearer <ADMIN_TOKEN> required', headers: { 'WWW-Authenticate': 'Bearer' } };
  }

  private record(client: string, now: number): ClientRecord | undefined {
    const record = this.clients.get(client);
    if (record && now - record.lastFailureAt > ADMIN_AUTH_FAILURE_MEMORY_MS) {
      this.clients.delete(client);
      return undefined;
    }
    return record;
  }

  private fail(client: string, now: number): void {
    const record = this.clients.get(client) ?? { failures: 0, lastFailureAt: now, lockedUntil: 0 };
    record.failures++;
    record.lastFailureAt = now;
    const extra = record.failures - ADMIN_AUTH_FREE_FAILURES;
    if (extra > 0) record.lockedUntil = now + Math.min(ADMIN_AUTH_MAX_LOCKOUT_S, 2 ** Math.min(extra - 1, 20)) * 1000;
    this.clients.delete(client); // re-insert: Map order becomes least-recently-failed first
    this.clients.set(client, record);
    if (this.clients.size > ADMIN_AUTH_CLIENTS_TRACKED) this.clients.delete(this.clients.keys().next().value!);
  }
}

/**
 * Browsers say where a request comes from (Sec-Fetch-Site, Origin); anything else (curl, the CLI)
 * sends neither and is judged by its token alone.
 */
export function isSameOriginOrNotBrowser(request: IncomingMessage): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false; // "null" and other opaque origins
  }
}
