// `npm start` runs this before it builds: is the relay's port free? If not, one line saying what to
// do, instead of a minute of building followed by an EADDRINUSE stack trace.
import { createServer } from 'node:net';
import { ConfigError, readConfig } from '../config';

export type PortCheck = { free: true } | { free: false; code: string };

/** Tries to listen where the relay will: the only test that agrees with the relay's own bind. */
export function checkPortFree(port: number, host: string): Promise<PortCheck> {
  if (port === 0) return Promise.resolve({ free: true }); // PORT=0 picks a free port
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => resolve({ free: false, code: error.code ?? error.message }));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve({ free: true })));
  });
}

/** What to tell the person at the terminal when the port is taken (or not ours to use). */
export function portTakenMessage(port: number, host: string, code: string): string {
  const what =
    code === 'EADDRINUSE'
      ? `port ${port} on ${host} is already in use (another aeolian relay, or another program)`
      : code === 'EACCES'
        ? `port ${port} on ${host} needs privileges this user does not have`
        : code === 'EADDRNOTAVAIL'
          ? `${host} is not an address of this machine (HOST)`
          : `cannot listen on ${host}:${port} (${code})`;
  return `aeolian: ${what}.\n  Stop what holds it, or pick another port: PORT=${port === 65535 ? 8081 : port + 1} npm start   (PORT=0 picks a free one)`;
}

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    const { port, host } = readConfig(env);
    const check = await checkPortFree(port, host);
    if (check.free) return 0;
    console.error(portTakenMessage(port, host, check.code));
    return 1;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`aeolian: ${error.message}`);
    return 2;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main();
