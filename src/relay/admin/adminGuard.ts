// Who may use /api/admin/*: same-origin (or non-browser) requests with the admin token, compared in
// constant time. Guessing is locked out per address and across addresses (http/authLockout.ts).
import type { IncomingMessage } from 'node:http';
import { AuthLockout, type AuthLockoutOptions } from '../http/authLockout';
import { presentsBearerSecret } from '../http/bearerToken';
import { clientAddress, NO_PROXY, type ProxyTrust } from '../http/clientAddress';

export type GuardResult =
  | { ok: true }
  | { ok: false; status: 401 | 403 | 404 | 429; error: string; headers?: Record<string, string> };

export interface AdminGuardOptions extends AuthLockoutOptions {
  /** TRUST_PROXY: clients behind a trusted proxy are told apart by X-Forwarded-For. */
  trust?: ProxyTrust;
}

export class AdminGuard {
  private readonly lockout: AuthLockout;
  private readonly trust: ProxyTrust;

  constructor(
    private readonly adminToken: string | undefined,
    options: AdminGuardOptions = {},
  ) {
    this.lockout = new AuthLockout('ADMIN_TOKEN', options);
    this.trust = options.trust ?? NO_PROXY;
  }

  check(request: IncomingMessage): GuardResult {
    if (!isSameOriginOrNotBrowser(request)) {
      return { ok: false, status: 403, error: 'cross-origin requests to the admin API are refused' };
    }
    const token = this.adminToken;
    if (!token) return { ok: false, status: 404, error: 'the admin API is off: set ADMIN_TOKEN on the relay' };
    return this.lockout.check(clientAddress(request, this.trust), () => presentsBearerSecret(request, token));
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
