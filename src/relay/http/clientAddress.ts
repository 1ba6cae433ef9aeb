// Who is on the other end of a request. Behind reverse proxies every socket comes from the proxy,
// so with TRUST_PROXY=n the relay takes the address the n-th proxy saw from X-Forwarded-For,
// counted from the right: entries further left were written by the client and prove nothing. The
// header is believed only on a socket from a trusted proxy address (TRUST_PROXY_ADDRESSES,
// loopback by default): a client that reaches the relay directly cannot name itself.
import { BlockList, isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

/** Most proxies a deployment may declare in front of the relay (TRUST_PROXY). */
export const MAX_TRUSTED_PROXIES = 5;
/** Where the proxies are when TRUST_PROXY_ADDRESSES is unset: on the relay's own machine. */
export const DEFAULT_TRUSTED_PROXY_ADDRESSES: readonly string[] = ['127.0.0.0/8', '::1'];

/** How client addresses are read: proxies in front of the relay, and the addresses they connect from. */
export interface ProxyTrust {
  readonly hops: number;
  readonly proxies: BlockList;
}

/** Every socket is its own client (TRUST_PROXY=0). */
export const NO_PROXY: ProxyTrust = proxyTrust(0, []);

/** `addresses`: IPs or CIDR ranges (`10.0.0.0/8`, `fd00::/8`); throws a RangeError naming a bad one. */
export function proxyTrust(hops: number, addresses: readonly string[] = DEFAULT_TRUSTED_PROXY_ADDRESSES): ProxyTrust {
  const proxies = new BlockList();
  for (const entry of addresses) {
    const [address = '', prefix, extra] = entry.trim().split('/');
    const family = isIP(address);
    const bits = prefix === undefined ? undefined : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
    if (family === 0 || extra !== undefined || (bits !== undefined && (Number.isNaN(bits) || bits > (family === 4 ? 32 : 128)))) {
      throw new RangeError(`${JSON.stringify(entry)} is not an IP address or CIDR range (e.g. 10.0.0.5, 10.0.0.0/8, ::1)`);
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) proxies.addAddress(address, type);
    else proxies.addSubnet(address, bits, type);
  }
  return { hops, proxies };
}

export function clientAddress(request: IncomingMessage, trust: ProxyTrust = NO_PROXY): string {
  const socketAddress = request.socket.remoteAddress ?? 'unknown';
  if (trust.hops <= 0 || !isTrustedProxy(socketAddress, trust)) return socketAddress;
  const header = request.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  // [client?, ..., what proxy n saw, ..., what proxy 1 saw] + the socket (proxy 1 itself).
  const chain = [...forwarded, socketAddress];
  return chain[Math.max(0, chain.length - 1 - trust.hops)]!;
}

function isTrustedProxy(address: string, trust: ProxyTrust): boolean {
  const family = isIP(address);
  return family !== 0 && trust.proxies.check(address, family === 4 ? 'ipv4' : 'ipv6');
}
