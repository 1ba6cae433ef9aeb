// The two ways the viewer path reaches inside Node (rawFrameWrite.ts, pongReader.ts): its internal
// bindings (process.binding, deprecated but still there in Node 20) and net.Socket's private symbol
// keys. Read once at load; each caller checks what it gets and falls back to the public path.
import { Socket } from 'node:net';

/** A plain socket's own symbol keys (net.Socket sets every one of them in its constructor). */
const socketSymbols = Object.getOwnPropertySymbols(new Socket());

/** An internal binding (`stream_wrap`, `tcp_wrap`), or an empty object if Node no longer has it. */
export function nodeBinding(name: string): Record<string, unknown> {
  try {
    const { binding } = process as unknown as { binding(name: string): Record<string, unknown> };
    return binding(name);
  } catch {
    return {};
  }
}

/** The libuv TCP handle class under a plain net.Socket (`tcp_wrap`'s TCP), if Node still has it. */
export function tcpHandleClass<T>(): (abstract new () => T) | undefined {
  const TCP = nodeBinding('tcp_wrap').TCP;
  return typeof TCP === 'function' ? (TCP as abstract new () => T) : undefined;
}

/** net.Socket's private symbol key with this description (an own property of every socket), if any. */
export function socketSymbol(description: string): symbol | undefined {
  return socketSymbols.find((key) => key.description === description);
}
