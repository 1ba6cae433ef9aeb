import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ADMIN_AUTH_FREE_FAILURES, AdminGuard } from './adminGuard';

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
    const guard = new AdminGuard('s3cret-admin', () => now);
    for (let i = 0; i < ADMIN_AUTH_FREE_FAILURES; i++) expect(guard.check(request({}))).toMatchObject({ status: 401 });
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
    const guard = new AdminGuard('s3cret-admin', () => 0, 1);
    const via = (client: string, headers: Record<string, string> = {}) => request({ ...headers, 'x-forwarded-for': client }, '10.0.0.1');
    for (let i = 0; i <= ADMIN_AUTH_FREE_FAILURES; i++) guard.check(via('203.0.113.7'));
    expect(guard.check(via('203.0.113.7', { authorization: 'Bearer s3cret-admin' }))).toMatchObject({ status: 429 });
    // A spoofed entry in front of the proxy's does not let the locked client out.
    expect(guard.check(via('198.51.100.1, 203.0.113.7', { authorization: 'Bearer s3cret-admin' }))).toMatchObject({ status: 429 });
    expect(guard.check(via('198.51.100.20', { authorization: 'Bearer s3cret-admin' })).ok).toBe(true);
    // Without TRUST_PROXY the header means nothing: everyone is the proxy.
    const naive = new AdminGuard('s3cret-admin', () => 0);
    for (let i = 0; i <= ADMIN_AUTH_FREE_FAILURES; i++) naive.check(via('203.0.113.7'));
    expect(naive.check(via('198.51.100.20', { authorization: 'Bearer s3cret-admin' }))).toMatchObject({ status: 429 });
  });

  it('is off (404) without an ADMIN_TOKEN', () => {
    expect(new AdminGuard(undefined).check(request({ authorization: 'Bearer ' }))).toMatchObject({ status: 404 });
  });
});
