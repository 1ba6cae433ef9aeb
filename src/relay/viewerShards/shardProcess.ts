// One fan-out process: it owns the viewer sockets the relay hands it and runs an ordinary
// ViewerGateway over them (rolling sweep, pings, slow-viewer cut), fed by the relay's broadcasts.
// It never numbers or keeps strikes: the relay's hub does, and greets each viewer before handing
// it over. It exits when the relay does (IPC disconnect).
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { createLogger } from '../log';
import { ViewerGateway } from '../viewerGateway';
import type { FromShard, ShardSettings, ToShard } from './shardMessages';

/** Status reports are batched this long, so a reconnect storm does not flood the relay with them. */
export const SHARD_STATUS_MS = 50;
const STATUS_HEARTBEAT_MS = 1_000;

const settings = JSON.parse(process.env.AEOLIAN_SHARD ?? '{}') as ShardSettings;
const log = createLogger(settings.logLevel).child({ shard: process.pid });
const send = (message: FromShard) => {
  if (process.connected) process.send?.(message);
};
// The relay going away first (a crash, SIGKILL) must not turn a last status report into a crash.
process.on('error', () => undefined);

/** The greeting of the viewer being upgraded right now (ws calls back synchronously). */
let greeting: { hello: Buffer; replay: Buffer[] } | undefined;
let statusTimer: NodeJS.Timeout | undefined;
let sweepsMs: number[] = [];

const gateway = new ViewerGateway(
  {
    greet() {
      const taken = greeting ?? { hello: Buffer.from('{}'), replay: [] };
      greeting = undefined;
      return taken;
    },
    presenceChanged: () => scheduleStatus(),
  },
  log,
  settings.backlogBytes,
  settings.pingIntervalMs,
  settings.trustedProxies,
);
gateway.onBroadcastWritten = (ms) => {
  sweepsMs.push(ms);
  scheduleStatus();
};

function scheduleStatus(): void {
  statusTimer ??= setTimeout(sendStatus, SHARD_STATUS_MS);
}

function sendStatus(): void {
  statusTimer = undefined;
  send({ kind: 'status', viewers: gateway.count, stats: { ...gateway.stats }, sweepsMs });
  sweepsMs = [];
}

setInterval(scheduleStatus, STATUS_HEARTBEAT_MS).unref();

process.on('message', (message: ToShard, socket?: Socket) => {
  switch (message.kind) {
    case 'broadcast':
      gateway.broadcast(message.frame, message.stationId);
      break;
    case 'viewer': {
      if (!socket) break;
      const request = { method: message.method, url: message.url, headers: message.headers, socket } as unknown as IncomingMessage;
      socket.on('error', () => socket.destroy());
      greeting = { hello: message.hello, replay: message.replay };
      gateway.handleUpgrade(request, socket, message.head, new URL(message.url, 'http://relay.invalid'));
      greeting = undefined; // a refused handshake never took it
      break;
    }
    case 'close':
      gateway.closeAll(message.code, message.reason);
      break;
    case 'terminate':
      gateway.terminateAll();
      break;
  }
});

// Never outlive the relay.
process.on('disconnect', () => {
  gateway.terminateAll();
  process.exit(0);
});
send({ kind: 'ready' });
