// Every source of strikes, by the name `?source=` uses. Adding a source is one file and one line.
import { RelayTransport, relayUrlFrom } from './relayTransport';
import { ReplayTransport } from './replayTransport';
import { SimTransport } from './simTransport';
import { readSpeed, speedLimitsFor } from './speedOption';
import type { Transport, TransportOptions } from './types';

type Location = { protocol: string; host: string };

export const transports: Record<string, (options: TransportOptions, location: Location) => Transport> = {
  relay: (options, location) => new RelayTransport({ url: relayUrlFrom(options, location) }),
  sim: (options) => SimTransport.fromOptions(options),
  replay: (options) => ReplayTransport.fromOptions(options),
};

export const DEFAULT_SOURCE = 'relay';

export function createTransport(options: TransportOptions, location: Location): Transport {
  return transports[sourceName(options)]!(options, location);
}

/** What to tell the viewer about options in the address the page cannot honour; null if none. */
export function addressNotice(options: TransportOptions): string | null {
  const notices = [unknownSourceNotice(options), speedNotice(options)].filter((notice) => notice !== null);
  return notices.length > 0 ? notices.join(' ') : null;
}

/** The source the address picks: the one `?source=` names, the default when it names nothing we have. */
function sourceName(options: TransportOptions): string {
  const name = options.get('source') ?? DEFAULT_SOURCE;
  return Object.hasOwn(transports, name) ? name : DEFAULT_SOURCE;
}

/**
 * What to tell the viewer about `?speed=`: the relay plays strikes as they arrive, so a speed there
 * changes nothing and the viewer is told instead of left wondering; other sources clamp it.
 */
function speedNotice(options: TransportOptions): string | null {
  const raw = options.get('speed');
  if (raw !== null && sourceName(options) === 'relay') return 'A speed (&speed=) changes only the simulation and replays: live strikes play as they arrive.';
  return readSpeed(raw, speedLimitsFor(options)).notice;
}

/** What to tell the viewer when `?source=` names nothing we have (the default source is used). */
export function unknownSourceNotice(options: TransportOptions): string | null {
  const name = options.get('source');
  if (name === null || Object.hasOwn(transports, name)) return null;
  return `Unknown source "${name.slice(0, 40)}": showing ${DEFAULT_SOURCE} instead (choose ${Object.keys(transports).join(', ')}).`;
}

export type { Transport, TransportSink, ConnectionStatus, StreamStart } from './types';
