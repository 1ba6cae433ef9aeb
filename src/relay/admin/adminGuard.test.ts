import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { proxyTrust } from '../http/clientAddress';
import { AUTH_CLIENTS_TRACKED, AUTH_FREE_FAILURES, AUTH_MAX_LOCKOUT_S, AUTH_GLOBAL_FAILURE_WINDOW_MS, AUTH_GLOBAL_MAX_FAILURES } from '../http/authLockout';
import { AdminGuard } from './adminGuard';

function request(headers: Record<string, string>, address = '10.0.0.1'): IncomingMessage {
  return { headers: { host: 'relay.example:8080', ...headers }, socket: { remoteAddress: address } } as unknown as IncomingMessage;
}

describe('AdminGuard', () => {
  it('lets the right token in and keeps a wrong or missing one out', () => {
    const guard = new AdminGuard('s3cret-admin');
    expect(guard.check(request({ authorization: 'Bearer s3cret-admin' })).ok).toBe(true);
    expect(guard.check(request({ authorization: 'Bearer s3cret-admiN' }))).toMatchObject({ status: 401 });
    expect(guard.check(request({}))).toMatchObject({ status: 401 });
  });

  it('refuses cross-origin browser requests even with the token', () => {
    const guard = new AdminGuard('s3cret-admin');
    const auth = { authorization: 'Bearer s3cret-admin' };
    expect(guard.check(request({ ...auth, 'sec-fetch-site': 'cross-site' }))).toMatchObject({ status: 403 });
    expect(guard.check(request({ ...auth, 'sec-fetch-site': 'same-site' }))).toMatchObject({ status: 403 });
    expect(guard.check(request({ ...auth, origin: 'https://evil.example' }))).toMatchObject({ status: 403 });
    expect(guard.check(request({ ...auth, origin: 'null' }))).toMatchObject({ status: 403 });
    expect(guard.check(request({ ...auth, origin: 'http://relay.example:8080', 'sec-fetch-site': 'same-origin' })).ok).toBe(true);
  });

  it('locks out a client that keeps failing, for longer each time, and only that client', () => {
    let now = 0;
    const guard = new AdminGuard('s3cret-admin', { now: () => now });
    for (let i = 0; i < AUTH_FREE_FAILURES; i++) expect(guard.check(request({}))).toMatchObject({ status: 401 });
    expect(guard.check(request({}))).toMatchObject({ status: 401 });
    // Now locked for 1 s: even the right token waits.
    const locked = guard.check(request({ authorization: 'Bearer s3cret-admin' }));
    expect(locked).toMatchObject({ status: 429, headers: { 'Retry-After': '1' } });
    expect(guard.check(request({ authorization: 'Bearer s3cret-admin' }, '10.0.0.2')).ok).toBe(true);
    now += 1000;
    expect(guard.check(request({}))).toMatchObject({ status: 401 });
    expect(guard.check(request({}))).toMatchObject({ status: 429, headers: { 'Retry-After': '2' } });
    now += 2000;
    expect(guard.check(request({ authorization: 'Bearer s3cret-admin' })).ok).toBe(true);
    expect(guard.check(request({}))).toMatchObject({ status: 401 });
  });

  it('behind a trusted proxy (TRUST_PROXY=1), locks out the failing client, not everyone behind the proxy', () => {
    const guard = new AdminGuard('s3cret-admin', { now: () => 0, trust: proxyTrust(1, ['10.0.0.0/8']) });
    const via = (client: string, headers: Record<string, string> = {}) => request({ ...headers, 'x-forwarded-for': client }, '10.0.0.1');
    for (let i = 0; i <= AUTH_FREE_FAILURES; i++) guard.check(via('203.0.113.7'));
    expect(guard.check(via('203.0.113.7', { authorization: 'Bearer s3cret-admin' }))).toMatchObject({ status: 429 });
    // A spoofed entry in front of the proxy's does not let the locked client out.
    expect(guard.check(via('198.51.100.1, 203.0.113.7', { authorization: 'Bearer s3cret-admin' }))).toMatchObject({ status: 429 });
    expect(guard.check(via('198.51.100.20', { authorization: 'Bearer s3cret-admin' })).ok).toBe(true);
    // Without TRUST_PROXY the header means nothing: everyone is the proxy.
    const naive = new AdminGuard('s3cret-admin', { now: () => 0 });
    for (let i = 0; i <= AUTH_FREE_FAILURES; i++) naive.check(via('203.0.113.7'));
    expect(naive.check(via('198.51.100.20', { authorization: 'Bearer s3cret-admin' }))).toMatchObject({ status: 429 });
  });

  it('with TRUST_PROXY, a request that does not come from a trusted proxy cannot name itself in X-Forwarded-For', () => {
    // The relay is reachable directly as well as through its proxy at 10.0.0.1.
    const guard = new AdminGuard('s3cret-admin', { now: () => 0, trust: proxyTrust(1, ['10.0.0.1']) });
    const direct = (spoofed: string, headers: Record<string, string> = {}) => request({ ...headers, 'x-forwarded-for': spoofed }, '198.51.100.66');
    for (let i = 0; i <= AUTH_FREE_FAILURES; i++) guard.check(direct(`203.0.113.${i}`));
    // A fresh spoofed address every time: still the same socket peer, still locked out.
    expect(guard.check(direct('203.0.113.200', { authorization: 'Bearer s3cret-admin' }))).toMatchObject({ status: 429 });
  });

  it('a locked client stays locked however many other addresses fail after it', () => {
    let now = 0;
    const guard = new AdminGuard('s3cret-admin', { now: () => now, globalMaxFailures: Number.POSITIVE_INFINITY });
    // Each failure after its lockout ends, so the lockout grows to its cap of AUTH_MAX_LOCKOUT_S.
    for (let i = 0; i < AUTH_FREE_FAILURES + 11; i++) {
      now += AUTH_MAX_LOCKOUT_S * 1000;
      expect(guard.check(request({}, '203.0.113.7'))).toMatchObject({ status: 401 });
    }
    for (let i = 0; i <= AUTH_CLIENTS_TRACKED; i++) {
      now += 1;
      guard.check(request({}, `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`));
    }
    expect(guard.check(request({ authorization: 'Bearer s3cret-admin' }, '203.0.113.7'))).toMatchObject({ status: 429 });
  });

  it('a global failure budget locks out guessing spread over many addresses; a client that signed in before keeps in', () => {
    let now = 0;
    const guard = new AdminGuard('s3cret-admin', { now: () => now });
    expect(guard.check(request({ authorization: 'Bearer s3cret-admin' }, '192.0.2.10')).ok).toBe(true);
    for (let i = 0; i < AUTH_GLOBAL_MAX_FAILURES; i++) guard.check(request({}, `10.1.${i >> 8}.${i & 255}`));
    // A fresh address with the right token: refused, so guessing from many addresses learns nothing.
    const refused = guard.check(request({ authorization: 'Bearer s3cret-admin' }, '10.9.9.9'));
    expect(refused).toMatchObject({ status: 429 });
    expect(Number((refused as { headers: Record<string, string> }).headers['Retry-After'])).toBeGreaterThan(0);
    expect(guard.check(request({ authorization: 'Bearer s3cret-admin' }, '192.0.2.10')).ok).toBe(true);
    now += AUTH_GLOBAL_FAILURE_WINDOW_MS;
    expect(guard.check(request({ authorization: 'Bearer s3cret-admin' }, '10.9.9.9')).ok).toBe(true);
  });

  it('is off (404) without an ADMIN_TOKEN', () => {
    expect(new AdminGuard(undefined).check(request({ authorization: 'Bearer ' }))).toMatchObject({ status: 404 });
  });
});
