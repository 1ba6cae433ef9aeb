// `npm run relay` / `npm start`: the relay from environment config, optionally with simulated
// stations. SIGTERM closes every socket with 1001 and exits 0.
import { adminApi } from './admin/adminRoutes';
import { ArchiveError } from './archive/archive';
import { BackplaneError } from './backplane/backplane';
import { portTakenMessage } from './cli/portCheck';
import { ConfigError, readConfig } from './config';
import { startSimulatedStations } from './devices/simulatedStations';
import { createLogger } from './log';
import { missingRelayNodeFlags } from './nodeFlags';
import { readParticleConfig, secret, startParticle } from './particle';
import { startRelay } from './server';
import { StationsFileError, loadStationsFile } from './stations/stationsFile';
import { watchStationsFile } from './stations/stationsWatcher';

async function main(): Promise<void> {
  const config = readConfig();
  const particleConfig = readParticleConfig();
  const adminToken = secret(process.env, 'ADMIN_TOKEN');
  const log = createLogger(config.logLevel);
  const missingFlags = missingRelayNodeFlags();
  if (missingFlags.length > 0) {
    log.warn(
      { event: 'node_flags_missing', missing: missingFlags },
      `started without node ${missingFlags.join(' ')}: full garbage collections will stall the fan-out more often than they need to (see src/relay/nodeFlags.ts)`,
    );
  }
  const stations = loadStationsFile(config.stationsPath);
  const relay = await startRelay({
    port: config.port,
    host: config.host,
    stations,
    stationsPath: config.stationsPath,
    distDir: config.distDir,
    logger: log,
    redisUrl: config.redisUrl,
    archivePath: config.archivePath,
    archiveRetentionDays: config.archiveRetentionDays,
    trustedProxies: config.trustedProxies,
    trustedProxyAddresses: config.trustedProxyAddresses,
    maxViewersPerAddress: config.maxViewersPerAddress,
    touchOrigins: config.touchOrigins,
    participation: config.participation,
    metricsToken: secret(process.env, 'METRICS_TOKEN'),
  });
  const sim = config.sim
    ? startSimulatedStations(relay, { seed: config.simSeed, timeScale: config.simSpeed, log })
    : undefined;
  const stationsFile = watchStationsFile(relay, config.stationsPath);
  process.on('SIGHUP', () => stationsFile.reload());
  const particle = startParticle(relay, particleConfig);
  const admin = adminApi(relay, { adminToken, stationsPath: config.stationsPath, health: particle.health });
  relay.addRoute(admin.route);

  const shutdown = (signal: string) => {
    log.info({ event: 'signal', signal }, 'shutting down');
    particle.close();
    stationsFile.close();
    admin.dispose();
    sim?.close();
    void relay.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  console.log(`\n  aeolian is live at ${relay.url.replace('127.0.0.1', 'localhost')}/${config.sim ? '  (simulated stations on)' : ''}\n`);
}

main().catch((error: unknown) => {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
    // The same one line `npm start` prints before it builds (cli/portCheck.ts), not a stack trace.
    const { port, host } = readConfig();
    console.error(portTakenMessage(port, host, code));
  } else if (error instanceof StationsFileError || error instanceof ConfigError || error instanceof BackplaneError || error instanceof ArchiveError) {
    console.error(`aeolian relay: ${error.message}`);
  } else {
    console.error('aeolian relay failed to start:', error);
  }
  process.exit(1);
});
