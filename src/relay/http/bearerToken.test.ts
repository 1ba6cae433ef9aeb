import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { bearerToken, presentsBearerSecret } from './bearerToken';

const withAuthorization = (authorization?: string) => ({ headers: authorization === undefined ? {} : { authorization } }) as IncomingMessage;

describe('bearerToken', () => {
  it('reads the token of a Bearer header, whatever the scheme case and surrounding space', () => {
    expect(bearerToken(withAuthorization('Bearer abc.DEF-123'))).toBe('abc.DEF-123');
    expect(bearerToken(withAuthorization('bearer   abc  '))).toBe('abc');
    expect(bearerToken(withAuthorization('BEARER abc'))).toBe('abc');
  });

  it('finds no token in a missing header, another scheme, an empty token or two tokens', () => {
    expect(bearerToken(withAuthorization())).toBeUndefined();
    expect(bearerToken(withAuthorization('Basic YWRtaW46c2VjcmV0'))).toBeUndefined();
    expect(bearerToken(withAuthorization('Bearer'))).toBeUndefined();
    expect(bearerToken(withAuthorization('Bearer '))).toBeUndefined();
    expect(bearerToken(withAuthorization('Bearer one two'))).toBeUndefined();
    expect(bearerToken(withAuthorization('xBearer abc'))).toBeUndefined();
  });
});

describe('presentsBearerSecret', () => {
  const secret = 'a-secret-of-enough-length';

  it('accepts exactly the configured secret', () => {
    expect(presentsBearerSecret(withAuthorization(`Bearer ${secret}`), secret)).toBe(true);
  });

  it('refuses a wrong, longer, shorter or missing secret', () => {
    expect(presentsBearerSecret(withAuthorization('Bearer a-secret-of-enough-lengtH'), secret)).toBe(false);
    expect(presentsBearerSecret(withAuthorization(`Bearer ${secret}x`), secret)).toBe(false);
    expect(presentsBearerSecret(withAuthorization(`Bearer ${secret.slice(1)}`), secret)).toBe(false);
    expect(presentsBearerSecret(withAuthorization(), secret)).toBe(false);
    expect(presentsBearerSecret(withAuthorization(`Basic ${secret}`), secret)).toBe(false);
  });
});
