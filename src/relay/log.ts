// Structured JSON logs (pino): one line per connection event, never one per strike at info level.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { service: 'aeolian-relay' } });
}
