import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress } from './clientAddress';

const request = (forwardedFor: string | undefined, socket = '10.0.0.9') =>
  ({ headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }, socket: { remoteAddress: socket } }) as unknown as IncomingMessage;

describe('clientAddress', () => {
  it('is the socket address unless proxies are trusted: a client cannot name itself', () => {
    expect(clientAddress(request('203.0.113.7'))).toBe('10.0.0.9');
  });

  it('behind one proxy, is what that proxy saw, whatever the client wrote in front of it', () => {
    expect(clientAddress(request('203.0.113.7'), 1)).toBe('203.0.113.7');
    expect(clientAddress(request('1.1.1.1, 203.0.113.7'), 1)).toBe('203.0.113.7');
  });

  it('behind two proxies, skips the inner one; with too short a chain, takes the oldest entry', () => {
    expect(clientAddress(request('1.1.1.1, 203.0.113.7, 10.0.0.5'), 2)).toBe('203.0.113.7');
    expect(clientAddress(request(undefined), 1)).toBe('10.0.0.9');
    expect(clientAddress(request('203.0.113.7'), 3)).toBe('203.0.113.7');
  });
});
