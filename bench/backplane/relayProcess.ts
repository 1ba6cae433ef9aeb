// A relay for the backplane bench, in its own process: the production startRelay with the bench
// stations, joined to the Redis in REDIS_URL when set (and a lone relay when not).
import { startRelay } from '../../src/relay/server';
import { createLogger } from '../../src/relay/log';
import { benchStations } from '../relay/benchStations';

const relay = await startRelay({
  port: 0,
  stations: benchStations(),
  logger: createLogger(process.env.LOG_LEVEL ?? 'warn'),
  distDir: 'does-not-exist',
  // Each generator's thousands of viewers share one source address: lift MAX_VIEWERS_PER_ADDRESS.
  maxViewersPerAddress: 1_000_000,
  redisUrl: process.env.REDIS_URL || undefined,
});
process.on('message', (command: { cmd: string }) => {
  if (command.cmd === 'exit') void relay.close().then(() => process.exit(0));
});
process.on('disconnect', () => void relay.close().then(() => process.exit(0)));
process.send!({ type: 'ready', port: relay.port });
