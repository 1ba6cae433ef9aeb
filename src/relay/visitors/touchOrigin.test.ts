import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { isAllowedTouchOrigin, parseTouchOrigins } from './touchOrigin';

const request = (origin: string | undefined, host = 'relay.example:8080') =>
  ({ headers: { host, ...(origin === undefined ? {} : { origin }) } }) as IncomingMessage;

describe('touch origins', () => {
  const allowed = new Set(['https://gallery.example']);

  it('allows the relay\'s own origin and the listed ones', () => {
    expect(isAllowedTouchOrigin(request('http://relay.example:8080'), allowed)).toBe(true);
    expect(isAllowedTouchOrigin(request('https://relay.example:8080'), allowed)).toBe(true);
    expect(isAllowedTouchOrigin(request('https://gallery.example'), allowed)).toBe(true);
  });

  it('refuses other origins, look-alikes and a missing Origin', () => {
    expect(isAllowedTouchOrigin(request('https://evil.example'), allowed)).toBe(false);
    expect(isAllowedTouchOrigin(request('https://gallery.example.evil.example'), allowed)).toBe(false);
    expect(isAllowedTouchOrigin(request('http://relay.example'), allowed)).toBe(false);
    expect(isAllowedTouchOrigin(request('null'), allowed)).toBe(false);
    expect(isAllowedTouchOrigin(request(undefined), allowed)).toBe(false);
  });

  it('reads TOUCH_ORIGINS and names an entry that is not an origin', () => {
    expect(parseTouchOrigins(' https://a.example, http://b.example:8000/ ')).toEqual(['https://a.example', 'http://b.example:8000']);
    expect(parseTouchOrigins(undefined)).toEqual([]);
    expect(() => parseTouchOrigins('https://a.example/page')).toThrow(/"https:\/\/a.example\/page" is not an origin/);
    expect(() => parseTouchOrigins('gallery.example')).toThrow(/TOUCH_ORIGINS/);
  });
});
