// A loopback port for a server a test starts as its own process (redis-server, a relay, Caddy),
// which must be told its port up front rather than asked for it after listening on 0; or, left
// unused, a port where a connection is refused.
import { createServer, type AddressInfo } from 'node:net';

/** A loopback port nobody listens on right now (so a relay can also be restarted on the same address). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
