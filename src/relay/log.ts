// Logs (pino): JSON lines for machines (a service, a pipe, a file), human-readable lines when the
// relay runs in a terminal. Never one line per strike at info level; viewers are summarised.
// The pretty form is pino-pretty, pino's own formatter: it reads the same records, so what a
// person sees in a terminal is exactly what a log collector would get, only laid out for reading.
import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** `pretty` for a person at a terminal, `json` for everything else. */
export type LogFormat = 'pretty' | 'json';

/** LOG_FORMAT=pretty|json wins; otherwise pretty exactly when stdout is a terminal. */
export function logFormat(env: NodeJS.ProcessEnv, stdoutIsTty: boolean | undefined): LogFormat {
  if (env.LOG_FORMAT === 'pretty' || env.LOG_FORMAT === 'json') return env.LOG_FORMAT;
  return stdoutIsTty ? 'pretty' : 'json';
}

export function createLogger(
  level = process.env.LOG_LEVEL ?? 'info',
  format: LogFormat = logFormat(process.env, process.stdout.isTTY),
): Logger {
  const options = { level, base: { service: 'aeolian-relay' } };
  if (format === 'json') return pino(options);
  const pretty = loadPretty();
  if (!pretty) {
    const log = pino(options);
    log.warn({ event: 'log_pretty_missing' }, 'pino-pretty is not installed (npm install): logging JSON');
    return log;
  }
  // Synchronous, in this thread: a terminal is slow enough already, and a line must not be lost
  // when the relay exits straight after logging it (a failed start).
  return pino(options, pretty({ sync: true, singleLine: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,service' }));
}

type PrettyFactory = (options: Record<string, unknown>) => DestinationStream;

function loadPretty(): PrettyFactory | null {
  try {
    return createRequire(import.meta.url)('pino-pretty') as PrettyFactory;
  } catch {
    return null;
  }
}
