// The relay's configuration, from environment variables only (listed in the README).
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
  };
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
