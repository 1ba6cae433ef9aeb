// The production front door on loopback, for test/deploy: the real relay process (main.ts, env
// config) behind real Caddy running deploy/Caddyfile with test ports and its own internal CA.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { LookupFunction } from 'node:net';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { freePort } from '../support/freePort';
import { RELAY_FROM_SOURCE_ARGS } from '../../src/relay/nodeFlags';

export const CADDY_PATH = '/usr/bin/caddy';
/** The site name Caddy serves in tests; *.localhost never leaves the machine. */
export const TEST_SITE_NAME = 'aeolian.localhost';
const DEPLOY_CADDYFILE = 'deploy/Caddyfile';
const START_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 5_000;

export interface ManagedProcess {
  child: ChildProcess;
  output(): string;
  /** Waits until the output so far matches; rejects if the process exits or time runs out. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** SIGTERM, then SIGKILL after STOP_GRACE_MS; resolves once the process is gone. */
  stop(): Promise<void>;
}

export function startProcess(command: string, args: readonly string[], env: NodeJS.ProcessEnv): ManagedProcess {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const waiters = new Set<() => void>();
  const onOutput = (chunk: Buffer) => {
    output += chunk.toString();
    for (const wake of waiters) wake();
  };
  child.stdout!.on('data', onOutput);
  child.stderr!.on('data', onOutput);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => {
    for (const wake of waiters) wake();
  });
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  return {
    child,
    output: () => output,
    waitForOutput(pattern, timeoutMs = START_TIMEOUT_MS) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(output);
          if (match || gone()) {
            waiters.delete(check);
            clearTimeout(timer);
            if (match) resolve(match);
            else reject(new Error(`${command} exited (${child.exitCode ?? child.signalCode}) before ${pattern}:\n${output}`));
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${command}: no ${pattern} within ${timeoutMs} ms:\n${output}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async stop() {
      if (gone()) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(killer);
    },
  };
}

export interface RelayUnderTest extends ManagedProcess {
  /** host:port the relay listens on (loopback). */
  address: string;
}

/** The relay from source (RELAY_FROM_SOURCE_ARGS) with a free loopback port and the given environment. */
export async function startRelayProcess(env: Record<string, string>): Promise<RelayUnderTest> {
  const relay = startProcess(process.execPath, RELAY_FROM_SOURCE_ARGS, {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    SIM: '0',
    ...env,
  });
  try {
    const match = await relay.waitForOutput(/live at http:\/\/(?:localhost|127\.0\.0\.1):(\d+)/);
    return Object.assign(relay, { address: `127.0.0.1:${match[1]}` });
  } catch (error) {
    await relay.stop();
    throw error;
  }
}

export interface CaddyUnderTest extends ManagedProcess {
  /** https://aeolian.localhost:<port> */
  origin: string;
  httpsPort: number;
  httpPort: number;
  /** The root certificate of Caddy's internal CA (PEM), for clients to trust. */
  rootCertificate: string;
  accessLogPath: string;
}

/**
 * deploy/Caddyfile with test options added to its global ones: no admin endpoint, loopback high
 * ports, certificates from Caddy's own CA (what `tls internal` does) and no attempt to install that
 * CA in the system's trust store. Everything else is used as shipped.
 */
export function testCaddyfile(shipped: string, ports: { http: number; https: number }): string {
  const globalOptionsStart = /^\{\n/m;
  if (!globalOptionsStart.test(shipped)) throw new Error(`${DEPLOY_CADDYFILE}: no global options block`);
  const testOptions = ['admin off', 'default_bind 127.0.0.1', `http_port ${ports.http}`, `https_port ${ports.https}`, 'local_certs', 'skip_install_trust'];
  return shipped.replace(globalOptionsStart, `{\n${testOptions.map((option) => `\t${option}\n`).join('')}`);
}

/** Caddy from deploy/Caddyfile in front of `relayAddress`; everything it writes stays under `dir`. */
export async function startCaddy(relayAddress: string, dir: string): Promise<CaddyUnderTest> {
  const [httpPort, httpsPort] = [await freePort(), await freePort()];
  const configPath = join(dir, 'Caddyfile');
  writeFileSync(configPath, testCaddyfile(readFileSync(DEPLOY_CADDYFILE, 'utf8'), { http: httpPort, https: httpsPort }));
  const accessLogPath = join(dir, 'access.log');
  const caddy = startProcess(CADDY_PATH, ['run', '--config', configPath, '--adapter', 'caddyfile'], {
    PATH: process.env.PATH,
    HOME: dir,
    XDG_DATA_HOME: join(dir, 'data'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    ACME_EMAIL: 'ops@example.org',
    AEOLIAN_DOMAIN: `${TEST_SITE_NAME}:${httpsPort}`,
    AEOLIAN_RELAY: relayAddress,
    AEOLIAN_ACCESS_LOG: accessLogPath,
  });
  try {
    await caddy.waitForOutput(/serving initial configuration/);
    const rootPath = join(dir, 'data', 'caddy', 'pki', 'authorities', 'local', 'root.crt');
    const rootCertificate = await waitFor(() => (existsSync(rootPath) ? readFileSync(rootPath, 'utf8') : undefined), 'Caddy root certificate');
    // The site certificate is issued in the background after start-up: wait for a good handshake.
    await waitFor(() => tlsHandshake(httpsPort, rootCertificate), 'a TLS handshake trusted by the internal CA');
    return Object.assign(caddy, { origin: `https://${TEST_SITE_NAME}:${httpsPort}`, httpsPort, httpPort, rootCertificate, accessLogPath });
  } catch (error) {
    await caddy.stop();
    throw error;
  }
}

/** Resolves every name to 127.0.0.1 (`*.localhost` is not in /etc/hosts everywhere). */
export const loopbackLookup: LookupFunction = (_hostname, options, callback) => {
  if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
};

function tlsHandshake(port: number, ca: string): Promise<true | undefined> {
  return new Promise((resolve) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, servername: TEST_SITE_NAME, ca }, () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(undefined));
  });
}

async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = START_TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export { waitFor };
