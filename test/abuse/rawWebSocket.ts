// A websocket client on a bare net.Socket, so tests can send what no well-behaved library would:
// bad UTF-8, reserved opcodes, RSV bits, oversized control frames, slow or oversized handshakes.
import net from 'node:net';

export interface RawFrame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

export interface RawConnection {
  socket: net.Socket;
  /** HTTP status of the handshake answer (101 when upgraded). */
  status: number;
  /** Sends raw bytes. */
  write(bytes: Buffer | string): void;
  /** Resolves with the close code the relay sent (or 1006 if the socket ended without one). */
  closeCode(timeoutMs?: number): Promise<number>;
  /** Text frames received so far. */
  texts(): string[];
}

export const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** One client frame. Masked unless `mask: false`; `rsv` is the 3 RSV bits (0..7). */
export function clientFrame(opcode: number, payload: Buffer | string, options: { fin?: boolean; rsv?: number; mask?: boolean } = {}): Buffer {
  const data = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  const mask = options.mask ?? true;
  const first = ((options.fin ?? true) ? 0x80 : 0) | ((options.rsv ?? 0) << 4) | opcode;
  const lengthBytes = data.length < 126 ? 0 : data.length < 65536 ? 2 : 8;
  const header = Buffer.alloc(2 + lengthBytes + (mask ? 4 : 0));
  header[0] = first;
  const maskBit = mask ? 0x80 : 0;
  if (lengthBytes === 0) header[1] = maskBit | data.length;
  else if (lengthBytes === 2) {
    header[1] = maskBit | 126;
    header.writeUInt16BE(data.length, 2);
  } else {
    header[1] = maskBit | 127;
    header.writeBigUInt64BE(BigInt(data.length), 2);
  }
  if (!mask) return Buffer.concat([header, data]);
  const key = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  key.copy(header, 2 + lengthBytes);
  const masked = Buffer.from(data.map((byte, index) => byte ^ key[index % 4]!));
  return Buffer.concat([header, masked]);
}

export function handshakeRequest(path: string, headers: Record<string, string> = {}): string {
  const lines = [
    `GET ${path} HTTP/1.1`,
    'Host: 127.0.0.1',
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version: 13',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Connects, optionally sends `request`, and resolves once the HTTP answer's status line is in. */
export function rawConnect(port: number, request?: string): Promise<RawConnection> {
  const socket = net.connect({ port, host: '127.0.0.1' });
  let buffer = Buffer.alloc(0);
  let status = 0;
  const frames: RawFrame[] = [];
  let ended = false;
  const wakers = new Set<() => void>();
  const wake = () => wakers.forEach((w) => w());
  socket.on('error', () => undefined);
  socket.on('close', () => {
    ended = true;
    wake();
  });
  socket.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    if (status === 0) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      status = Number(/^HTTP\/1\.1 (\d{3})/.exec(buffer.subarray(0, end).toString('latin1'))?.[1] ?? -1);
      buffer = buffer.subarray(end + 4);
    }
    for (;;) {
      const frame = readServerFrame(buffer);
      if (!frame) break;
      frames.push(frame.frame);
      buffer = buffer.subarray(frame.size);
    }
    wake();
  });
  const until = (predicate: () => boolean, timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!predicate()) return;
        wakers.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        wakers.delete(check);
        reject(new Error(`raw socket: timed out (status ${status}, ${frames.length} frames, ended ${ended})`));
      }, timeoutMs);
      wakers.add(check);
      check();
    });
  const connection: RawConnection = {
    socket,
    get status() {
      return status;
    },
    write: (bytes) => socket.write(bytes),
    async closeCode(timeoutMs = 5_000) {
      await until(() => ended || frames.some((f) => f.opcode === OPCODE.close), timeoutMs);
      const close = frames.find((f) => f.opcode === OPCODE.close);
      return close && close.payload.length >= 2 ? close.payload.readUInt16BE(0) : 1006;
    },
    texts: () => frames.filter((f) => f.opcode === OPCODE.text).map((f) => f.payload.toString('utf8')),
  };
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      if (request === undefined) return resolve(connection);
      socket.write(request);
      until(() => status !== 0 || ended, 5_000).then(() => resolve(connection), reject);
    });
    socket.once('error', reject);
  });
}

/** Resolves once the peer has closed the socket; rejects after `timeoutMs`. */
export function socketClosed(socket: net.Socket, timeoutMs: number): Promise<void> {
  if (socket.destroyed || socket.readableEnded) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket still open')), timeoutMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function readServerFrame(buffer: Buffer): { frame: RawFrame; size: number } | undefined {
  if (buffer.length < 2) return undefined;
  const fin = (buffer[0]! & 0x80) !== 0;
  const opcode = buffer[0]! & 0x0f;
  let length = buffer[1]! & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buffer.length < 4) return undefined;
    length = buffer.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buffer.length < 10) return undefined;
    length = Number(buffer.readBigUInt64BE(2));
    offset = 10;
  }
  if (buffer.length < offset + length) return undefined;
  return { frame: { fin, opcode, payload: Buffer.from(buffer.subarray(offset, offset + length)) }, size: offset + length };
}
