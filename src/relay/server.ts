// Composes the relay: one HTTP server, websocket upgrades routed by path to the device and viewer
// gateways, plain routes for the page and the API. `startRelay` is what main.ts and the tests use.
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { CloseCode, SHUTDOWN_GRACE_MS, type StationConfig } from '../protocol';
import { ARCHIVE_RETENTION_DAYS, StrikeArchive } from './archive/archive';
import { historyRoute } from './archive/historyRoute';
import { Backplane } from './backplane/backplane';
import { storesHealth } from './backplane/storesHealth';
import { DeviceGateway } from './devices/deviceGateway';
import { clientAddress, proxyTrust, type ProxyTrust } from './http/clientAddress';
import { guardClientErrors, guardedServerOptions } from './http/guards';
import { setPageSecurityHeaders } from './http/pageSecurity';
import { sendJson, staticPage, type RouteHandler } from './http/routes';
import { rejectUpgrade } from './http/upgrade';
import { StrikeHub } from './hub';
import { createLogger, type Logger } from './log';
import { RelayMetrics } from './metrics';
import { StationRegistry } from './stations/stationRegistry';
import { viewerWritePath } from './viewers/rawFrameWrite';
import { ViewerGateway } from './viewers/viewerGateway';
import type { TouchLimitValues } from './visitors/touchLimits';
import { Visitors } from './visitors/visitors';

export interface RelayOptions {
  /** 0 picks a free port (tests). */
  port?: number;
  host?: string;
  stations?: readonly StationConfig[];
  /** Where the stations file lives, for routes that persist changes. */
  stationsPath?: string;
  distDir?: string;
  logger?: Logger;
  /** Override limits in tests. */
  viewerBacklogBytes?: number;
  /** MAX_VIEWERS_PER_ADDRESS unless given (VIEWERS_PER_ADDRESS; tests and benches that open many viewers from one address). */
  maxViewersPerAddress?: number;
  pingIntervalMs?: number;
  handshakeTimeoutMs?: number;
  /** Share one strike stream with other relays through this Redis (the backplane). */
  redisUrl?: string;
  /** Append every strike to an archive in this folder (and serve GET /api/history). */
  archivePath?: string;
  archiveRetentionDays?: number;
  /** Require `Authorization: Bearer <token>` on GET /metrics (METRICS_TOKEN); unset: public. */
  metricsToken?: string;
  /** Reverse proxies in front of the relay whose X-Forwarded-For is trusted (TRUST_PROXY). */
  trustedProxies?: number;
  /** Addresses those proxies connect from (TRUST_PROXY_ADDRESSES); default loopback. */
  trustedProxyAddresses?: readonly string[];
  /** Tests shorten HISTORY_RESPONSE_STALL_MS. */
  historyStallMs?: number;
  /** TOUCH_ORIGINS: origins besides the relay's own whose pages may open /touch. */
  touchOrigins?: readonly string[];
  /** PARTICIPATION: whether visitors may play at start (default true). */
  participation?: boolean;
  /** Override the touch limits in tests. */
  touchLimits?: Partial<TouchLimitValues>;
}

export interface Relay {
  readonly port: number;
  /** http://host:port */
  readonly url: string;
  /** The stations, and the one place their state changes (announced to the hub and gateways). */
  readonly stations: StationRegistry;
  readonly hub: StrikeHub;
  readonly devices: DeviceGateway;
  readonly viewers: ViewerGateway;
  /** Visitors play: participation switch, /touch, striker forwarding (src/relay/visitors). */
  readonly visitors: Visitors;
  readonly log: Logger;
  readonly metrics: RelayMetrics;
  /** TRUST_PROXY: how client addresses are read (src/relay/http/clientAddress.ts). */
  readonly proxyTrust: ProxyTrust;
  readonly server: Server;
  /** Adds an HTTP route in front of the page (later routes: admin, ingest, metrics). */
  addRoute(handler: RouteHandler): void;
  /** Closes every socket with 1001 and stops; resolves within SHUTDOWN_GRACE_MS. */
  close(): Promise<void>;
}

export async function startRelay(options: RelayOptions = {}): Promise<Relay> {
  const log = options.logger ?? createLogger();
  const startedAt = Date.now();
  const registry = new StationRegistry(options.stations ?? []);
  const archive = options.archivePath
    ? await StrikeArchive.open(options.archivePath, { retentionDays: options.archiveRetentionDays ?? ARCHIVE_RETENTION_DAYS, log })
    : undefined;
  const backplane = options.redisUrl ? await Backplane.connect(options.redisUrl, { log }) : undefined;
  const hub = new StrikeHub(registry, { epoch: backplane?.epoch, shared: backplane, recorder: archive });
  await backplane?.attach(hub, archive?.beginEpoch(hub.epoch));
  const trust = proxyTrust(options.trustedProxies ?? 0, options.trustedProxyAddresses);
  const devices = new DeviceGateway(registry, hub, log, options.pingIntervalMs, trust);
  const viewers = new ViewerGateway(hub, log, {
    backlogLimitBytes: options.viewerBacklogBytes,
    pingIntervalMs: options.pingIntervalMs,
    trust,
    maxViewersPerAddress: options.maxViewersPerAddress,
  });
  const metrics = new RelayMetrics({ hub, devices, viewers });
  viewers.onBroadcastWritten = (durationMs) => metrics.observeBroadcast(durationMs);
  const visitors = new Visitors(registry, hub, devices, metrics.registry, {
    origins: options.touchOrigins,
    participation: options.participation,
    limits: options.touchLimits,
    trust,
    pingIntervalMs: options.pingIntervalMs,
    log,
  });

  const routes: RouteHandler[] = [
    (request, response, url) => {
      if (request.method !== 'GET' && request.method !== 'HEAD') return false;
      if (url.pathname === '/healthz') {
        sendJson(response, 200, {
          status: 'ok',
          uptimeS: Math.round((Date.now() - startedAt) / 1000),
          devices: devices.connectedCount,
          viewers: hub.viewerCount,
          seq: hub.seq,
          epoch: hub.epoch,
          ...storesHealth(backplane, archive),
        });
        return true;
      }
      if (url.pathname === '/api/stations') {
        sendJson(response, 200, registry.publicList(), { 'Access-Control-Allow-Origin': '*' });
        return true;
      }
      return false;
    },
    metrics.route(options.metricsToken, { trust, log }),
    historyRoute(archive, { clientOf: (request) => clientAddress(request, trust), stallMs: options.historyStallMs, log }),
  ];
  const page = staticPage(options.distDir ?? 'dist');

  const server = createServer(guardedServerOptions(options.handshakeTimeoutMs), async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://relay.invalid');
    try {
      for (const route of routes) if (await route(request, response, url)) return;
      setPageSecurityHeaders(request, response);
      await page(request, response, url);
    } catch (error) {
      log.error({ event: 'http_error', path: url.pathname, err: (error as Error).message }, 'request failed');
      if (!response.headersSent) sendJson(response, 500, { error: 'internal error' });
      else response.destroy();
    }
  });

  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  guardClientErrors(server, metrics.httpAbuse);
  server.on('upgrade', (request, socket, head) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(request.url ?? '/', 'http://relay.invalid');
    if (url.pathname === '/device') devices.handleUpgrade(request, socket, head, url);
    else if (url.pathname === '/live') viewers.handleUpgrade(request, socket, head, url);
    else if (url.pathname === '/touch') visitors.handleUpgrade(request, socket, head);
    else rejectUpgrade(socket, 404, 'no websocket here: use /live, /touch or /device');
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  log.info({ event: 'relay_listening', url, epoch: hub.epoch, stations: registry.all().length, viewerWrites: viewerWritePath() }, 'relay listening');

  let closing: Promise<void> | undefined;
  return {
    port: address.port,
    url,
    stations: registry,
    hub,
    devices,
    viewers,
    visitors,
    log,
    metrics,
    proxyTrust: trust,
    server,
    addRoute: (handler) => routes.unshift(handler),
    close() {
      closing ??= (async () => {
        log.info({ event: 'relay_closing', epoch: hub.epoch, seq: hub.seq }, 'relay closing');
        hub.close();
        devices.closeAll(CloseCode.goingAway, 'relay shutting down');
        viewers.closeAll(CloseCode.goingAway, 'relay shutting down');
        visitors.closeAll(CloseCode.goingAway, 'relay shutting down');
        server.close();
        server.closeIdleConnections();
        await new Promise((resolve) => setTimeout(resolve, Math.min(200, SHUTDOWN_GRACE_MS / 2)));
        devices.terminateAll();
        viewers.terminateAll();
        visitors.terminateAll();
        visitors.dispose();
        devices.dispose();
        viewers.dispose();
        metrics.dispose();
        for (const socket of sockets) socket.destroy();
        await backplane?.close();
        await archive?.close();
      })();
      return closing;
    },
  };
}
