// Guessing a secret (ADMIN_TOKEN, WEBHOOK_SECRET, METRICS_TOKEN) is hopeless: a client address
// that keeps failing is locked out for exponentially longer, failures spread over many addresses
// hit a global budget, and refusals are logged at most once per interval, so guessing cannot
// flood the log either. Pure but for the clock and the logger passed in.
import type { Logger } from '../log';

/** Failures a client may make before lockouts start. */
export const AUTH_FREE_FAILURES = 5;
/** Lockout after the n-th extra failure: 2^(n-1) s, capped here. */
export const AUTH_MAX_LOCKOUT_S = 15 * 60;
/** A client with no failure for this long starts from zero again. */
export const AUTH_FAILURE_MEMORY_MS = 60 * 60_000;
/** Clients remembered at once; past this the oldest that is not locked out is forgotten. */
export const AUTH_CLIENTS_TRACKED = 10_000;
/** Failures from all addresses together allowed per AUTH_GLOBAL_FAILURE_WINDOW_MS, per secret ... */
export const AUTH_GLOBAL_MAX_FAILURES = 100;
/** ... beyond which every client but a known one gets 429 until the window has room again. */
export const AUTH_GLOBAL_FAILURE_WINDOW_MS = 60_000;
/** Clients that presented the secret recently, exempt from the global budget (not their own). */
export const AUTH_KNOWN_CLIENTS_TRACKED = 32;
/** At most one refusal log line per secret per interval, with the count of refusals since. */
export const AUTH_REFUSAL_LOG_INTERVAL_MS = 10_000;

export type SecretCheck = { ok: true } | { ok: false; status: 401 | 429; error: string; headers: Record<string, string> };

export interface AuthLockoutOptions {
  now?: () => number;
  log?: Logger;
  /** Tests lift AUTH_GLOBAL_MAX_FAILURES to look at one client alone. */
  globalMaxFailures?: number;
}

interface ClientRecord {
  failures: number;
  lastFailureAt: number;
  lockedUntil: number;
}

export class AuthLockout {
  private readonly clients = new Map<string, ClientRecord>();
  /** Times of the latest failures from anyone, oldest first (at most the global budget). */
  private readonly recentFailures: number[] = [];
  /** Clients that presented the secret, least recent first. */
  private readonly knownClients = new Set<string>();
  private readonly now: () => number;
  private readonly globalMaxFailures: number;
  private refusalsSinceLog = 0;
  private lastLogAt = Number.NEGATIVE_INFINITY;

  constructor(
    /** The secret's variable, for messages and the log (`ADMIN_TOKEN`). */
    private readonly secretName: string,
    private readonly options: AuthLockoutOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.globalMaxFailures = options.globalMaxFailures ?? AUTH_GLOBAL_MAX_FAILURES;
  }

  /** 429 while `client` (or, for a client not known, everyone) is locked out; else `presents()` decides. */
  check(client: string, presents: () => boolean): SecretCheck {
    const now = this.now();
    const record = this.record(client, now);
    const waitMs = Math.max(record && record.lockedUntil > now ? record.lockedUntil - now : 0, this.knownClients.has(client) ? 0 : this.globalWaitMs(now));
    if (waitMs > 0) {
      const retryAfterS = Math.ceil(waitMs / 1000);
      return this.refuse(client, now, { status: 429, error: `too many failed attempts: retry in ${retryAfterS} s`, headers: { 'Retry-After': String(retryAfterS) } });
    }
    if (presents()) {
      this.clients.delete(client);
      this.knownClients.delete(client);
      this.knownClients.add(client);
      if (this.knownClients.size > AUTH_KNOWN_CLIENTS_TRACKED) this.knownClients.delete(this.knownClients.values().next().value!);
      return { ok: true };
    }
    this.fail(client, now);
    return this.refuse(client, now, { status: 401, error: `Authorization: Bearer <${this.secretName}> required`, headers: { 'WWW-Authenticate': 'Bearer' } });
  }

  private refuse(client: string, now: number, refusal: Omit<Extract<SecretCheck, { ok: false }>, 'ok'>): SecretCheck {
    this.refusalsSinceLog++;
    if (this.options.log && now - this.lastLogAt >= AUTH_REFUSAL_LOG_INTERVAL_MS) {
      this.options.log.info(
        { event: 'auth_refused', secret: this.secretName, status: refusal.status, ip: client, refusals: this.refusalsSinceLog },
        `request refused: wrong or missing ${this.secretName} (${this.refusalsSinceLog} refused since the last such line)`,
      );
      this.lastLogAt = now;
      this.refusalsSinceLog = 0;
    }
    return { ok: false, ...refusal };
  }

  private globalWaitMs(now: number): number {
    while (this.recentFailures.length > 0 && this.recentFailures[0]! <= now - AUTH_GLOBAL_FAILURE_WINDOW_MS) this.recentFailures.shift();
    if (this.recentFailures.length < this.globalMaxFailures) return 0;
    return this.recentFailures[0]! + AUTH_GLOBAL_FAILURE_WINDOW_MS - now;
  }

  private record(client: string, now: number): ClientRecord | undefined {
    const record = this.clients.get(client);
    if (record && now - record.lastFailureAt > AUTH_FAILURE_MEMORY_MS) {
      this.clients.delete(client);
      return undefined;
    }
    return record;
  }

  private fail(client: string, now: number): void {
    this.recentFailures.push(now);
    if (this.recentFailures.length > this.globalMaxFailures) this.recentFailures.shift();
    const record = this.clients.get(client) ?? { failures: 0, lastFailureAt: now, lockedUntil: 0 };
    record.failures++;
    record.lastFailureAt = now;
    const extra = record.failures - AUTH_FREE_FAILURES;
    if (extra > 0) record.lockedUntil = now + Math.min(AUTH_MAX_LOCKOUT_S, 2 ** Math.min(extra - 1, 20)) * 1000;
    this.clients.delete(client); // re-insert: Map order becomes least-recently-failed first
    this.clients.set(client, record);
    if (this.clients.size > AUTH_CLIENTS_TRACKED) this.forgetOne(now);
  }

  /** Forgets the least recently failed client that is not locked out: a lockout is never cut short. */
  private forgetOne(now: number): void {
    for (const [client, record] of this.clients) {
      if (record.lockedUntil <= now) {
        this.clients.delete(client);
        return;
      }
    }
    // Every tracked client is locked out (the global budget makes this slow to reach): bound memory.
    this.clients.delete(this.clients.keys().next().value!);
  }
}
