// The relay as its own process on a fixed port (so it can be restarted where the proxy expects
// it), with simulated stations. Outside vitest: the soak owns and kills it.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { RELAY_FROM_SOURCE_ARGS } from '../../src/relay/nodeFlags';

/** A relay that has not said "live at" within this is a failed start. */
export const RELAY_START_TIMEOUT_MS = 20_000;

export interface RelayChild {
  child: ChildProcess;
  exited: Promise<void>;
  /** Resident set size now, bytes (Linux /proc), or null once gone. */
  rssBytes(): number | null;
  /** SIGTERM (graceful: every socket closed, the last seq broadcast), then wait for exit. */
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export function startRelayChild(port: number, env: Record<string, string>): Promise<RelayChild> {
  const child = spawn(process.execPath, RELAY_FROM_SOURCE_ARGS, {
    env: { ...process.env, PORT: String(port), SIM: '1', LOG_LEVEL: 'warn', ARCHIVE_PATH: '', REDIS_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const relay: RelayChild = {
    child,
    exited,
    rssBytes() {
      try {
        const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        return match ? Number(match[1]) * 1024 : null;
      } catch {
        return null;
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`relay did not start: ${output}`));
    }, RELAY_START_TIMEOUT_MS);
    const onData = () => {
      if (!/live at/.test(output)) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve(relay);
    };
    child.stdout!.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`relay exited: ${output}`));
    });
  });
}
