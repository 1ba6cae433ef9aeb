import { describe, expect, it } from 'vitest';
import { MAX_VIEWERS_PER_ADDRESS } from '../protocol';
import { DEFAULT_TRUSTED_PROXY_ADDRESSES } from './http/clientAddress';
import { readConfig } from './config';

describe('readConfig: per-address limits and proxies', () => {
  it('defaults to MAX_VIEWERS_PER_ADDRESS and proxies on loopback', () => {
    const config = readConfig({});
    expect(config.maxViewersPerAddress).toBe(MAX_VIEWERS_PER_ADDRESS);
    expect(config.trustedProxyAddresses).toEqual(DEFAULT_TRUSTED_PROXY_ADDRESSES);
  });

  it('reads VIEWERS_PER_ADDRESS and TRUST_PROXY_ADDRESSES', () => {
    const config = readConfig({ VIEWERS_PER_ADDRESS: '500', TRUST_PROXY: '1', TRUST_PROXY_ADDRESSES: '10.0.0.5, 172.16.0.0/12,fd00::/8' });
    expect(config.maxViewersPerAddress).toBe(500);
    expect(config.trustedProxyAddresses).toEqual(['10.0.0.5', '172.16.0.0/12', 'fd00::/8']);
  });

  it('refuses nonsense with a message naming the variable', () => {
    expect(() => readConfig({ VIEWERS_PER_ADDRESS: '0' })).toThrow(/VIEWERS_PER_ADDRESS="0": must be a number in 1\.\.1000000/);
    expect(() => readConfig({ VIEWERS_PER_ADDRESS: 'lots' })).toThrow(/VIEWERS_PER_ADDRESS/);
    expect(() => readConfig({ TRUST_PROXY_ADDRESSES: 'proxy.internal' })).toThrow(/TRUST_PROXY_ADDRESSES: "proxy.internal" is not an IP address or CIDR range/);
    expect(() => readConfig({ TRUST_PROXY_ADDRESSES: '10.0.0.0/40' })).toThrow(/TRUST_PROXY_ADDRESSES/);
  });
});
