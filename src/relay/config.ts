// The relay's configuration, from environment variables only (listed in the README).
import { MAX_VIEWERS_PER_ADDRESS } from '../protocol';
import { ARCHIVE_RETENTION_DAYS } from './archive/archive';
import { DEFAULT_TRUSTED_PROXY_ADDRESSES, MAX_TRUSTED_PROXIES, proxyTrust } from './http/clientAddress';
import { parseTouchOrigins } from './visitors/touchOrigin';
export interface RelayConfig {
  port: number;
  host: string;
  stationsPath: string;
  distDir: string;
  /** Run simulated chime stations inside the relay process, connected over real websockets. */
  sim: boolean;
  simSeed: number;
  /** Wind runs this many times faster than the clock (soak tests). */
  simSpeed: number;
  logLevel: string;
  /** Share one strike stream with other relays through this Redis (unset: a lone relay). */
  redisUrl: string | undefined;
  /** Folder of the strike archive (unset: no archive, no /api/history). */
  archivePath: string | undefined;
  archiveRetentionDays: number;
  /** Reverse proxies in front of the relay (their X-Forwarded-For names the client). */
  trustedProxies: number;
  /** Addresses those proxies connect from: X-Forwarded-For from anywhere else is ignored. */
  trustedProxyAddresses: readonly string[];
  /** Viewers one client address may hold open (VIEWERS_PER_ADDRESS). */
  maxViewersPerAddress: number;
  /** TOUCH_ORIGINS: origins besides the relay's own whose pages may open /touch (embedding sites). */
  touchOrigins: string[];
  /** PARTICIPATION=0 starts with visitors' touches off (the admin API turns them on). */
  participation: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): RelayConfig {
  return {
    port: integer(env, 'PORT', 8080, 0, 65535),
    host: env.HOST ?? '127.0.0.1',
    stationsPath: env.STATIONS ?? 'config/stations.json',
    distDir: env.DIST_DIR ?? 'dist',
    sim: (env.SIM ?? '1') !== '0',
    simSeed: integer(env, 'SIM_SEED', Math.floor(Math.random() * 2 ** 31), 0, 2 ** 31),
    simSpeed: number(env, 'SIM_SPEED', 1, 0.01, 1000),
    logLevel: env.LOG_LEVEL ?? 'info',
    redisUrl: redisUrl(env),
    archivePath: env.ARCHIVE_PATH || undefined,
    archiveRetentionDays: integer(env, 'ARCHIVE_RETENTION_DAYS', ARCHIVE_RETENTION_DAYS, 1, 36_500),
    trustedProxies: integer(env, 'TRUST_PROXY', 0, 0, MAX_TRUSTED_PROXIES),
    trustedProxyAddresses: proxyAddresses(env),
    maxViewersPerAddress: integer(env, 'VIEWERS_PER_ADDRESS', MAX_VIEWERS_PER_ADDRESS, 1, 1_000_000),
    touchOrigins: touchOrigins(env),
    participation: flag(env, 'PARTICIPATION', true),
  };
}

function touchOrigins(env: NodeJS.ProcessEnv): string[] {
  try {
    return parseTouchOrigins(env.TOUCH_ORIGINS);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw !== '0' && raw !== '1') throw new ConfigError(`${name}=${JSON.stringify(raw)}: must be 1 (on) or 0 (off)`);
  return raw === '1';
}

function proxyAddresses(env: NodeJS.ProcessEnv): readonly string[] {
  const raw = env.TRUST_PROXY_ADDRESSES;
  if (raw === undefined || raw.trim() === '') return DEFAULT_TRUSTED_PROXY_ADDRESSES;
  const addresses = raw.split(',').map((entry) => entry.trim()).filter(Boolean);
  try {
    proxyTrust(1, addresses);
  } catch (error) {
    throw new ConfigError(`TRUST_PROXY_ADDRESSES: ${(error as Error).message}`);
  }
  return addresses;
}

function redisUrl(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.REDIS_URL;
  if (!raw) return undefined;
  if (!/^rediss?:\/\/[^\s]+$/.test(raw)) throw new ConfigError('REDIS_URL: must look like redis://host:6379 (or rediss:// for TLS)');
  return raw;
}

function number(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)}: must be a number in ${min}..${max}`);
  }
  return value;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const value = number(env, name, fallback, min, max);
  if (!Number.isInteger(value)) throw new ConfigError(`${name}=${JSON.stringify(env[name])}: must be an integer`);
  return value;
}
