// The Particle cloud side of the relay, composed: shared CloudIngest, the webhook route, and (with
// a token) the event streams. main.ts and the tests start it the same way.
import { ConfigError } from '../config';
import type { StrikePublisher } from '../devices/ingest';
import type { ProxyTrust } from '../http/clientAddress';
import type { RouteHandler } from '../http/routes';
import type { Logger } from '../log';
import type { StationRegistry } from '../stations/stationRegistry';
import { CloudIngest } from './cloudIngest';
import { PARTICLE_DEFAULT_API_URL, PARTICLE_DEFAULT_EVENT, ParticleLink } from './particleLink';
import { particleWebhookRoute } from './webhookRoute';

/** Shortest accepted WEBHOOK_SECRET / ADMIN_TOKEN: a guessable secret is refused at start-up. */
export const MIN_SECRET_CHARS = 16;

export interface ParticleConfig {
  token?: string;
  apiUrl: string;
  eventName: string;
  product?: string;
  webhookSecret?: string;
  stallMs?: number;
  reconnectBaseMs?: number;
  reorderHoldMs?: number;
}

export function readParticleConfig(env: NodeJS.ProcessEnv = process.env): ParticleConfig {
  const webhookSecret = secret(env, 'WEBHOOK_SECRET');
  const eventName = env.PARTICLE_EVENT || PARTICLE_DEFAULT_EVENT;
  if (!/^[A-Za-z0-9_\-/.]{1,64}$/.test(eventName)) throw new ConfigError('PARTICLE_EVENT: 1-64 of letters, digits, _ - / .');
  const apiUrl = env.PARTICLE_API_URL || PARTICLE_DEFAULT_API_URL;
  try {
    const parsed = new URL(apiUrl);
    if (parsed.username || parsed.password || parsed.search) throw new Error('credentials or query');
  } catch {
    throw new ConfigError('PARTICLE_API_URL: must be an http(s) base URL without credentials or query');
  }
  return {
    token: env.PARTICLE_TOKEN || undefined,
    apiUrl,
    eventName,
    product: env.PARTICLE_PRODUCT || undefined,
    webhookSecret,
    stallMs: positive(env, 'PARTICLE_STALL_MS'),
    reconnectBaseMs: positive(env, 'PARTICLE_RECONNECT_BASE_MS'),
  };
}

/** An optional secret: unset is fine, set but short is a start-up error. */
export function secret(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  if (value.length < MIN_SECRET_CHARS) throw new ConfigError(`${name}: must be at least ${MIN_SECRET_CHARS} characters`);
  return value;
}

function positive(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new ConfigError(`${name}=${JSON.stringify(raw)}: must be a positive number of ms`);
  return value;
}

export interface ParticleSide {
  ingest: CloudIngest;
  link: ParticleLink | undefined;
  health(): Record<string, unknown>;
  close(): void;
}

/** What the cloud side needs of the relay (the relay itself is one). */
export interface ParticleHost {
  /** Devices are matched to stations by `particleId`; status events set them online/offline. */
  readonly stations: StationRegistry;
  /** Where accepted strikes go (the hub). */
  readonly hub: StrikePublisher;
  readonly log: Logger;
  /** TRUST_PROXY: how the webhook's lockout tells clients apart. */
  readonly proxyTrust: ProxyTrust;
  addRoute(handler: RouteHandler): void;
}

/** Adds the webhook route and, with a token, opens the cloud streams. */
export function startParticle(relay: ParticleHost, config: ParticleConfig): ParticleSide {
  const ingest = new CloudIngest(relay.stations, relay.hub, relay.log, { eventName: config.eventName, reorderHoldMs: config.reorderHoldMs });
  relay.addRoute(particleWebhookRoute(ingest, config.webhookSecret, { trust: relay.proxyTrust, log: relay.log }));
  const link = config.token
    ? new ParticleLink(ingest, relay.log, {
        token: config.token,
        apiUrl: config.apiUrl,
        eventName: config.eventName,
        product: config.product,
        stallMs: config.stallMs,
        reconnectBaseMs: config.reconnectBaseMs,
      })
    : undefined;
  if (link) relay.log.info({ event: 'particle_enabled', apiUrl: config.apiUrl, eventName: config.eventName }, 'cloud stream enabled');
  return {
    ingest,
    link,
    health: () => ({
      particle: {
        stream: link ? link.streams.map((s) => ({ connected: s.connectedAt !== null, ...s.stats })) : null,
        webhook: config.webhookSecret !== undefined,
        unreadableStreamEvents: link?.stats.badEvents ?? 0,
        ...ingest.stats,
      },
    }),
    close() {
      link?.close();
      ingest.close();
    },
  };
}
