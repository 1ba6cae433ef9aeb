// /api/admin/*: the artist's side. List stations with private fields and device health; create,
// update, delete; rotate a device token; disconnect a device. Every change is persisted first
// (atomically), then applied to the registry, which announces it (viewers, the device gateway).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StationConfig } from '../../protocol';
import type { AdminStation } from '../../protocol/adminApi';
import type { DeviceGateway } from '../devices/deviceGateway';
import type { ProxyTrust } from '../http/clientAddress';
import { isJsonContentType, readBody } from '../http/readBody';
import { sendJson, type RouteHandler } from '../http/routes';
import type { StrikeHub } from '../hub';
import type { Logger } from '../log';
import type { StationRegistry, StationState } from '../stations/stationRegistry';
import { StationsStore, persistedStations } from '../stations/stationsStore';
import type { Participation } from '../visitors/participation';
import { participationAdmin } from '../visitors/participationAdmin';
import { AdminGuard } from './adminGuard';
import { createStation, rotateToken, updateStation } from './stationEdits';
import { StrikeRateMeter } from './strikeRate';

export const ADMIN_API_PREFIX = '/api/admin/';
/** Largest admin request body. */
export const ADMIN_MAX_BODY_BYTES = 16 * 1024;

export interface AdminOptions {
  adminToken: string | undefined;
  /** Where changes persist; without it they last until the relay stops. */
  stationsPath?: string;
  /** Extra health figures for `GET /api/admin/health` (e.g. the cloud link's counters). */
  health?: () => Record<string, unknown>;
}

export type { AdminStation };

export interface AdminApi {
  route: RouteHandler;
  dispose(): void;
}

/** What the admin API needs of the relay (the relay itself is one). */
export interface AdminHost {
  readonly stations: StationRegistry;
  readonly devices: Pick<DeviceGateway, 'connectedCount' | 'stats' | 'isConnected' | 'lastFrameAt' | 'disconnect'>;
  readonly hub: Pick<StrikeHub, 'viewerCount' | 'seq'>;
  readonly log: Logger;
  /** TRUST_PROXY: how client addresses are read for the lockout. */
  readonly proxyTrust: ProxyTrust;
  /** Visitors play: the participation kill switch (GET/PUT /api/admin/participation). */
  readonly visitors?: { readonly participation: Participation };
}

export function adminApi(relay: AdminHost, options: AdminOptions): AdminApi {
  const registry = relay.stations;
  const guard = new AdminGuard(options.adminToken, { trust: relay.proxyTrust, log: relay.log });
  const meter = new StrikeRateMeter(registry);
  const store = options.stationsPath ? new StationsStore(options.stationsPath) : undefined;
  // One change at a time: each reads the registry, persists, then applies.
  let serial: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = serial.then(work);
    serial = run.catch(() => undefined);
    return run;
  };

  const view = (state: StationState): AdminStation => ({
    id: state.config.id,
    name: state.config.name,
    lat: state.config.lat,
    lon: state.config.lon,
    chimes: state.config.chimes,
    muted: state.config.muted ?? false,
    particleId: state.config.particleId ?? null,
    simulated: state.ephemeral,
    online: state.online,
    lastSeen: state.lastSeen,
    connected: relay.devices.isConnected(state.config.id),
    lastFrameAt: relay.devices.lastFrameAt(state.config.id),
    strikesPerMin: meter.perMinute(state.config.id),
    strikesAccepted: state.strikesAccepted,
    strikesDropped: state.strikesDropped,
    lastStrikeAt: state.lastStrikeAt,
    deviceStatus: state.deviceStatus,
    participation: state.config.participation !== false,
  });

  /** Persists the file as it will be once `change` is applied, then applies it. */
  const commit = async (stations: StationConfig[], apply: () => void): Promise<void> => {
    await store?.save(stations);
    apply();
  };

  const replace = (id: string, config: StationConfig | null): StationConfig[] => {
    const list = persistedStations(registry);
    const index = list.findIndex((station) => station.id === id);
    const ephemeral = registry.get(id)?.ephemeral ?? false;
    if (ephemeral) return list; // simulated stations live in memory only
    if (config === null) return list.filter((station) => station.id !== id);
    if (index < 0) return [...list, config];
    return list.map((station, i) => (i === index ? config : station));
  };

  const handle = async (request: IncomingMessage, response: ServerResponse, path: string[]): Promise<void> => {
    const method = request.method ?? 'GET';
    const [resource, id, action] = path;
    if (resource === 'health' && path.length === 1 && method === 'GET') {
      sendJson(response, 200, {
        devicesConnected: relay.devices.connectedCount,
        viewers: relay.hub.viewerCount,
        seq: relay.hub.seq,
        devices: relay.devices.stats,
        ...options.health?.(),
      });
      return;
    }
    if (resource === 'participation' && path.length === 1 && relay.visitors) {
      const participation = relay.visitors.participation;
      const answer = await participationAdmin(participation, method, () => jsonBody(request, response));
      if (response.headersSent) return; // the body was refused (415/413/400) while reading it
      if (method === 'PUT' && answer.status === 200) relay.log.info({ event: 'admin_participation', enabled: participation.enabled }, 'participation switched');
      return sendJson(response, answer.status, answer.body, answer.headers);
    }
    if (resource !== 'stations') return sendJson(response, 404, { error: 'no such admin resource' });

    if (id === undefined) {
      if (method === 'GET') return sendJson(response, 200, registry.all().map(view));
      if (method !== 'POST') return sendJson(response, 405, { error: 'use GET or POST' }, { Allow: 'GET, POST' });
      const body = await jsonBody(request, response);
      if (body === undefined) return;
      return exclusive(async () => {
        const created = createStation(body, registry.all().map((s) => s.config));
        if (!created.ok) return sendJson(response, 400, { error: created.error });
        const { config, token } = created.value;
        await commit([...persistedStations(registry), config], () => registry.upsert(config));
        relay.log.info({ event: 'admin_station_created', station: config.id }, 'station created');
        sendJson(response, 201, { station: view(registry.get(config.id)!), token });
      });
    }

    const state = registry.get(id);
    if (!state) return sendJson(response, 404, { error: `no station "${id.slice(0, 40)}"` });

    if (action === undefined) {
      if (method === 'GET') return sendJson(response, 200, view(state));
      if (method === 'PATCH') {
        const body = await jsonBody(request, response);
        if (body === undefined) return;
        return exclusive(async () => {
          const current = registry.get(id);
          if (!current) return sendJson(response, 404, { error: `no station "${id}"` });
          const updated = updateStation(current.config, body, registry.all().map((s) => s.config));
          if (!updated.ok) return sendJson(response, 400, { error: updated.error });
          await commit(replace(id, updated.value), () => registry.upsert(updated.value));
          relay.log.info({ event: 'admin_station_updated', station: id, fields: Object.keys(body as object) }, 'station updated');
          sendJson(response, 200, view(registry.get(id)!));
        });
      }
      if (method === 'DELETE') {
        return exclusive(async () => {
          const current = registry.get(id);
          if (!current) return sendJson(response, 404, { error: `no station "${id}"` });
          await commit(replace(id, null), () => registry.remove(id));
          relay.log.info({ event: 'admin_station_removed', station: id }, 'station removed');
          response.writeHead(204, { 'Cache-Control': 'no-store' }).end();
        });
      }
      return sendJson(response, 405, { error: 'use GET, PATCH or DELETE' }, { Allow: 'GET, PATCH, DELETE' });
    }

    if (method !== 'POST') return sendJson(response, 405, { error: 'use POST' }, { Allow: 'POST' });
    if (action === 'rotate') {
      return exclusive(async () => {
        const current = registry.get(id);
        if (!current) return sendJson(response, 404, { error: `no station "${id}"` });
        const { config, token } = rotateToken(current.config);
        await commit(replace(id, config), () => registry.upsert(config));
        relay.log.info({ event: 'admin_token_rotated', station: id }, 'device token rotated');
        sendJson(response, 200, { token });
      });
    }
    if (action === 'disconnect') {
      const disconnected = relay.devices.disconnect(id);
      relay.log.info({ event: 'admin_device_disconnected', station: id, disconnected }, 'device disconnected by admin');
      return sendJson(response, 200, { disconnected });
    }
    return sendJson(response, 404, { error: 'no such admin action' });
  };

  const route: RouteHandler = async (request, response, url) => {
    if (url.pathname !== ADMIN_API_PREFIX.slice(0, -1) && !url.pathname.startsWith(ADMIN_API_PREFIX)) return false;
    const verdict = guard.check(request);
    if (!verdict.ok) {
      request.resume(); // refusals are logged by the guard, at most once per AUTH_REFUSAL_LOG_INTERVAL_MS
      sendJson(response, verdict.status, { error: verdict.error }, verdict.headers);
      return true;
    }
    const path = url.pathname.slice(ADMIN_API_PREFIX.length).split('/').filter(Boolean).map(safeDecode);
    try {
      await handle(request, response, path);
    } catch (error) {
      relay.log.error({ event: 'admin_failed', err: (error as Error).message }, 'admin change failed');
      if (!response.headersSent) sendJson(response, 500, { error: `change not saved: ${(error as NodeJS.ErrnoException).code ?? 'write failed'}` });
    }
    return true;
  };

  return { route, dispose: () => meter.dispose() };
}

/** Reads a JSON body, or answers 415/413/400 and returns undefined. */
async function jsonBody(request: IncomingMessage, response: ServerResponse): Promise<unknown> {
  if (!isJsonContentType(request)) {
    request.resume();
    sendJson(response, 415, { error: 'Content-Type must be application/json' });
    return undefined;
  }
  const body = await readBody(request, ADMIN_MAX_BODY_BYTES);
  if (!body.ok) {
    sendJson(response, body.status, { error: body.error });
    return undefined;
  }
  try {
    return JSON.parse(body.text) as unknown;
  } catch (error) {
    sendJson(response, 400, { error: `body: not valid JSON: ${(error as Error).message}` });
    return undefined;
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
