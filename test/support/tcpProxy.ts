// A TCP proxy on loopback that tests put between a client and the relay to break the link in the
// ways networks do: stall (nothing moves, nothing closes), slow drip, half-open (one side gone
// without the other hearing of it), abrupt reset, and deaf (only the relay's answers are lost).
import net from 'node:net';

export type LinkFault =
  /** Bytes stop moving both ways; both sockets stay open. */
  | { kind: 'stall' }
  /** Relay -> client bytes trickle at `bytesPerTick` every `tickMs`; client -> relay is untouched. */
  | { kind: 'drip'; bytesPerTick: number; tickMs: number }
  /** The relay side is gone (closed quietly); the client hears nothing, as after a NAT timeout. */
  | { kind: 'halfOpenClientSide' }
  /** The client side is gone; the relay hears nothing. */
  | { kind: 'halfOpenRelaySide' }
  /** Both sides get a TCP RST. */
  | { kind: 'reset' }
  /** Client -> relay bytes still arrive; relay -> client bytes are lost: the relay's answers never come back. */
  | { kind: 'deaf' };

/** Most relay -> client bytes a drip holds before it stops reading from the relay. */
const DRIP_QUEUE_BYTES = 16 * 1024;

const queuedBytes = (pipe: Pipe) => pipe.dripQueue.reduce((sum, chunk) => sum + chunk.length, 0);

interface Pipe {
  client: net.Socket;
  upstream: net.Socket;
  /** Relay -> client bytes held back by a drip. */
  dripQueue: Buffer[];
  dripTimer: NodeJS.Timeout | undefined;
  fault: LinkFault | undefined;
}

export class TcpProxy {
  private readonly server: net.Server;
  private readonly pipes = new Set<Pipe>();
  /** Applied to connections made from now on (undefined: a healthy link). */
  faultForNewConnections: LinkFault | undefined;

  private constructor(private readonly target: { host: string; port: number }) {
    this.server = net.createServer((client) => this.accept(client));
  }

  static async start(target: { host?: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy({ host: target.host ?? '127.0.0.1', port: target.port });
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** ws://127.0.0.1:<proxy port><path> */
  ws(path: string): string {
    return `ws://127.0.0.1:${this.port}${path}`;
  }

  get connectionCount(): number {
    return this.pipes.size;
  }

  /** Breaks every current connection the given way. */
  breakAll(fault: LinkFault): void {
    for (const pipe of this.pipes) this.apply(pipe, fault);
  }

  async close(): Promise<void> {
    for (const pipe of this.pipes) this.destroy(pipe);
    this.pipes.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    const upstream = net.connect(this.target);
    const pipe: Pipe = { client, upstream, dripQueue: [], dripTimer: undefined, fault: undefined };
    this.pipes.add(pipe);
    client.on('data', (chunk) => {
      if (!pipe.fault || pipe.fault.kind === 'drip' || pipe.fault.kind === 'deaf') upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!pipe.fault) client.write(chunk);
      else if (pipe.fault.kind === 'drip') {
        pipe.dripQueue.push(chunk);
        // Hold the relay back like a slow reader would, instead of buffering without bound here.
        if (queuedBytes(pipe) > DRIP_QUEUE_BYTES) upstream.pause();
      }
    });
    // A close on one side is passed on, unless a fault says the other side must not hear of it.
    client.on('close', () => {
      if (pipe.fault?.kind !== 'halfOpenRelaySide' && pipe.fault?.kind !== 'stall') upstream.destroy();
    });
    upstream.on('close', () => {
      if (pipe.fault?.kind !== 'halfOpenClientSide' && pipe.fault?.kind !== 'stall') client.destroy();
    });
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
    if (this.faultForNewConnections) this.apply(pipe, this.faultForNewConnections);
  }

  private apply(pipe: Pipe, fault: LinkFault): void {
    pipe.fault = fault;
    if (fault.kind === 'drip') {
      pipe.dripTimer = setInterval(() => {
        let budget = fault.bytesPerTick;
        while (budget > 0 && pipe.dripQueue.length > 0) {
          const head = pipe.dripQueue[0]!;
          const piece = head.subarray(0, budget);
          pipe.client.write(piece);
          budget -= piece.length;
          if (piece.length === head.length) pipe.dripQueue.shift();
          else pipe.dripQueue[0] = head.subarray(piece.length);
        }
        if (queuedBytes(pipe) <= DRIP_QUEUE_BYTES) pipe.upstream.resume();
      }, fault.tickMs);
    } else if (fault.kind === 'halfOpenClientSide') {
      pipe.upstream.destroy(); // the relay sees the connection end; the client is told nothing
    } else if (fault.kind === 'halfOpenRelaySide') {
      pipe.client.destroy(); // the client sees the connection end; the relay is told nothing
    } else if (fault.kind === 'reset') {
      pipe.client.resetAndDestroy();
      pipe.upstream.resetAndDestroy();
    }
  }

  private destroy(pipe: Pipe): void {
    clearInterval(pipe.dripTimer);
    pipe.client.destroy();
    pipe.upstream.destroy();
  }
}
