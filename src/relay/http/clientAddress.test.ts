import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress, proxyTrust } from './clientAddress';

const request = (forwardedFor: string | undefined, socket = '10.0.0.9') =>
  ({ headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }, socket: { remoteAddress: socket } }) as unknown as IncomingMessage;
const behind = (hops: number) => proxyTrust(hops, ['10.0.0.0/8']);

describe('clientAddress', () => {
  it('is the socket address unless proxies are trusted: a client cannot name itself', () => {
    expect(clientAddress(request('203.0.113.7'))).toBe('10.0.0.9');
  });

  it('behind one proxy, is what that proxy saw, whatever the client wrote in front of it', () => {
    expect(clientAddress(request('203.0.113.7'), behind(1))).toBe('203.0.113.7');
    expect(clientAddress(request('1.1.1.1, 203.0.113.7'), behind(1))).toBe('203.0.113.7');
  });

  it('behind two proxies, skips the inner one; with too short a chain, takes the oldest entry', () => {
    expect(clientAddress(request('1.1.1.1, 203.0.113.7, 10.0.0.5'), behind(2))).toBe('203.0.113.7');
    expect(clientAddress(request(undefined), behind(1))).toBe('10.0.0.9');
    expect(clientAddress(request('203.0.113.7'), behind(3))).toBe('203.0.113.7');
  });

  it('ignores X-Forwarded-For on a socket that is not from a trusted proxy address', () => {
    expect(clientAddress(request('203.0.113.7', '198.51.100.66'), behind(1))).toBe('198.51.100.66');
  });

  it('trusts loopback by default, IPv4-mapped included', () => {
    expect(clientAddress(request('203.0.113.7', '127.0.0.1'), proxyTrust(1))).toBe('203.0.113.7');
    expect(clientAddress(request('203.0.113.7', '::ffff:127.0.0.1'), proxyTrust(1))).toBe('203.0.113.7');
    expect(clientAddress(request('203.0.113.7', '::1'), proxyTrust(1))).toBe('203.0.113.7');
    expect(clientAddress(request('203.0.113.7', '10.0.0.9'), proxyTrust(1))).toBe('10.0.0.9');
  });

  it('refuses an address list entry that is not an IP or CIDR range', () => {
    expect(() => proxyTrust(1, ['10.0.0.0/33'])).toThrow(/"10.0.0.0\/33" is not an IP address or CIDR range/);
    expect(() => proxyTrust(1, ['proxy.internal'])).toThrow(/not an IP address/);
  });
});
