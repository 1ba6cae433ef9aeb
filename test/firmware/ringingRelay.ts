// A raw `/device` endpoint on loopback that plays the relay's ring side for the striker end-to-end
// test: it takes the device's websocket (answering its pings, as the relay does, so strikes are
// acknowledged), records every text frame, and sends ring commands, well-formed or not, as fast
// as asked. It checks nothing itself: a compromised relay is exactly what it must be able to be.
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface RingCommand {
  chime: number;
  v?: number;
  id: number;
}

export class RingingRelay {
  /** Every text frame from the device, in order. */
  readonly texts: string[] = [];
  private device: WebSocket | undefined;
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly server: WebSocketServer) {
    server.on('connection', (socket, request) => {
      if (request.url !== '/device' || !/^Bearer \S+$/.test(request.headers.authorization ?? '')) {
        socket.close(1008, 'not a device');
        return;
      }
      this.device = socket;
      socket.on('message', (data, isBinary) => {
        if (!isBinary) this.texts.push(data.toString());
        this.wake();
      });
      socket.on('close', () => {
        if (this.device === socket) this.device = undefined;
      });
      this.wake();
    });
  }

  static async start(): Promise<RingingRelay> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
    return new RingingRelay(server);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** JSON text frames of `type` from the device, parsed. */
  messages(type: string): Record<string, unknown>[] {
    return this.texts.filter((text) => text.startsWith('{')).map((text) => JSON.parse(text) as Record<string, unknown>).filter((m) => m.type === type);
  }

  /** Strike frames (the compact text every strike goes out in). */
  strikeFrames(): string[] {
    return this.texts.filter((text) => !text.startsWith('{'));
  }

  ring(command: RingCommand): void {
    this.sendRaw(JSON.stringify({ type: 'ring', chime: command.chime, v: command.v ?? 1, id: command.id }));
  }

  sendRaw(text: string): void {
    if (!this.device) throw new Error('no device connected');
    this.device.send(text);
  }

  /** Waits until `condition` holds, checked on every frame from the device. */
  waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!condition()) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; frames: ${JSON.stringify(this.texts.slice(-8))}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  async close(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private wake(): void {
    for (const wake of this.waiters) wake();
  }
}
