// `npm run dev`: Vite serves the page with HMR and starts a relay (with simulated stations) beside
// it; the dev server proxies /live and /api to that relay. The one URL printed is Vite's: the
// relay's own "live at" line is dropped, since its port serves the last build, not this code.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Plugin } from 'vite';
import { RELAY_FROM_SOURCE_ARGS } from '../src/relay/nodeFlags.ts';

/** The relay's start-up line naming its own URL (src/relay/main.ts). */
const RELAY_URL_LINE = /\baeolian is live at /;

export function relayDevPlugin(port: number): Plugin {
  let relay: ChildProcess | undefined;
  const stop = () => {
    relay?.kill('SIGTERM');
    relay = undefined;
  };
  return {
    name: 'aeolian-relay',
    configureServer(server) {
      const terminal = process.stdout.isTTY === true;
      relay = spawn(process.execPath, RELAY_FROM_SOURCE_ARGS, {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: {
          ...process.env,
          PORT: String(port),
          SIM: process.env.SIM ?? '1',
          // Its stdout is our pipe, not the terminal: keep the logs as readable as the terminal is.
          LOG_FORMAT: process.env.LOG_FORMAT ?? (terminal ? 'pretty' : 'json'),
          ...(terminal && !process.env.NO_COLOR ? { FORCE_COLOR: '1' } : {}),
        },
      });
      createInterface({ input: relay.stdout! }).on('line', (line) => {
        if (line.trim() !== '' && !RELAY_URL_LINE.test(line)) process.stdout.write(`${line}\n`);
      });
      server.httpServer?.once('close', stop);
      process.once('exit', stop);
      // A closed terminal hangs up Vite without an 'exit' event, and the relay takes SIGHUP as
      // "re-read the stations file": without this it would outlive Vite and hold its port.
      process.once('SIGHUP', () => {
        stop();
        process.exit(129);
      });
    },
  };
}
