// The relay for the visitors bench, in its own process: the production startRelay behind one trusted
// proxy (each crowd page brings its own X-Forwarded-For), chicago's strike bucket high enough that
// the global touch cap is what holds. Answers {cmd:'cpu'} with its CPU time in ms.
import { createLogger } from '../../src/relay/log';
import { startRelay } from '../../src/relay/server';
import { sha256Hex } from '../../src/relay/stations/tokens';

/** The wind device's token, from run.ts. */
const windToken = process.env.BENCH_WIND_TOKEN ?? 'bench-visitors-wind-token';

const relay = await startRelay({
  port: 0,
  trustedProxies: 1,
  stations: [{ id: 'chicago', name: 'Chicago', lat: 41.88, lon: -87.63, chimes: 6, tokenSha256: sha256Hex(windToken), strikesPerSecond: 1_000, burst: 2_000 }],
  logger: createLogger(process.env.LOG_LEVEL ?? 'warn'),
  distDir: 'does-not-exist',
});
process.on('message', (command: { cmd: string }) => {
  if (command.cmd === 'cpu') {
    const usage = process.cpuUsage();
    process.send!({ type: 'cpu', ms: (usage.user + usage.system) / 1000 });
  }
  if (command.cmd === 'exit') void relay.close().then(() => process.exit(0));
});
process.on('disconnect', () => void relay.close().then(() => process.exit(0)));
process.send!({ type: 'ready', url: relay.url });
