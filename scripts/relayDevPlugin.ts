// `npm run dev`: Vite serves the page with HMR and starts a relay (with simulated stations) beside
// it; the dev server proxies /live and /api to that relay.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Plugin } from 'vite';

export function relayDevPlugin(port: number): Plugin {
  let relay: ChildProcess | undefined;
  const stop = () => {
    relay?.kill('SIGTERM');
    relay = undefined;
  };
  return {
    name: 'aeolian-relay',
    configureServer(server) {
      relay = spawn(process.execPath, ['--import', 'tsx', 'src/relay/main.ts'], {
        stdio: 'inherit',
        env: { ...process.env, PORT: String(port), SIM: process.env.SIM ?? '1' },
      });
      server.httpServer?.once('close', stop);
      process.once('exit', stop);
    },
  };
}
