// The relay's link to the Particle cloud: one event stream for strikes and one for `spark/status`,
// sharing the cloud's open budget, feeding the shared CloudIngest.
import type { Logger } from '../log';
import { OpenBudget } from './openBudget';
import { parseCloudEventJson } from './cloudEvent';
import { STATUS_EVENT, type CloudIngest } from './cloudIngest';
import { EventStream } from './eventStream';
import { PARTICLE_MAX_STREAM_OPENS, PARTICLE_STREAM_OPEN_WINDOW_MS } from './limits';

export const PARTICLE_DEFAULT_API_URL = 'https://api.particle.io';
export const PARTICLE_DEFAULT_EVENT = 'chime';

export interface ParticleLinkOptions {
  token: string;
  apiUrl?: string;
  eventName?: string;
  /** Subscribe to a product's events instead of the token owner's devices. */
  product?: string;
  stallMs?: number;
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
}

/** `/v1/devices/events/<name>` or `/v1/products/<product>/events/<name>` on the API base. */
export function eventStreamUrl(apiUrl: string, eventName: string, product?: string): string {
  const name = eventName.split('/').map(encodeURIComponent).join('/');
  const scope = product ? `products/${encodeURIComponent(product)}` : 'devices';
  return `${apiUrl.replace(/\/+$/, '')}/v1/${scope}/events/${name}`;
}

export class ParticleLink {
  readonly streams: EventStream[];
  readonly stats = { badEvents: 0 };

  constructor(ingest: CloudIngest, log: Logger, options: ParticleLinkOptions) {
    const apiUrl = options.apiUrl ?? PARTICLE_DEFAULT_API_URL;
    const budget = new OpenBudget(PARTICLE_MAX_STREAM_OPENS, PARTICLE_STREAM_OPEN_WINDOW_MS);
    const names = [options.eventName ?? PARTICLE_DEFAULT_EVENT, STATUS_EVENT];
    this.streams = names.map(
      (name) =>
        new EventStream({
          url: eventStreamUrl(apiUrl, name, options.product),
          token: options.token,
          budget,
          log,
          stallMs: options.stallMs,
          reconnectBaseMs: options.reconnectBaseMs,
          reconnectMaxMs: options.reconnectMaxMs,
          onMessage: (message) => {
            const parsed = parseCloudEventJson(message.data, message.event);
            if (!parsed.ok) {
              this.stats.badEvents++;
              log.debug({ event: 'particle_bad_event', detail: parsed.detail }, 'cloud event skipped');
              return;
            }
            ingest.receive(parsed.event);
          },
        }),
    );
  }

  close(): void {
    for (const stream of this.streams) stream.close();
  }
}
