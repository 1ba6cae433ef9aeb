// The one schema of the wire protocol: runtime validation (zod) and the TypeScript types both the
// relay and the page use. Nothing here does I/O.
import { z } from 'zod';
import { MAX_CHIMES_PER_STATION, MAX_STRIKE_AGE_MS } from './limits';

/** One strike as a device sends it in a JSON frame. */
export const deviceStrikeSchema = z.strictObject({
  chime: z.number().int().min(0),
  v: z.number().min(0).max(1).default(1),
  age: z.number().min(0).max(MAX_STRIKE_AGE_MS).default(0),
});
export type DeviceStrike = z.output<typeof deviceStrikeSchema>;

export const stationIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be 1-40 of a-z, 0-9 and -, starting with a letter or digit');

/** A station as the public sees it: never a token or a device id. */
export const stationSchema = z.strictObject({
  id: stationIdSchema,
  name: z.string().min(1).max(80),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  chimes: z.number().int().min(1).max(MAX_CHIMES_PER_STATION),
  online: z.boolean(),
  lastSeen: z.number().nullable(),
});
export type Station = z.output<typeof stationSchema>;

/** One entry of the stations file: public fields plus private ones that never leave the relay. */
export const stationConfigSchema = z.strictObject({
  id: stationIdSchema,
  name: z.string().min(1).max(80),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  chimes: z.number().int().min(1).max(MAX_CHIMES_PER_STATION),
  tokenSha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits (SHA-256 of the token)'),
  particleId: z.string().min(1).max(64).optional(),
  muted: z.boolean().optional(),
  /** Overrides of the station's token bucket (defaults STATION_STRIKES_PER_S / STATION_STRIKE_BURST). */
  strikesPerSecond: z.number().positive().max(100_000).optional(),
  burst: z.number().int().positive().max(1_000_000).optional(),
});
export type StationConfig = z.output<typeof stationConfigSchema>;

const seqSchema = z.number().int().min(0);

export const helloMessageSchema = z.object({
  type: z.literal('hello'),
  protocol: z.number().int(),
  epoch: z.string().min(1).max(64),
  seq: seqSchema,
  now: z.number(),
  stations: z.array(stationSchema),
  viewers: z.number().int().min(0),
  gap: z.boolean().optional(),
});
export const strikeMessageSchema = z.object({
  type: z.literal('strike'),
  seq: seqSchema,
  station: stationIdSchema,
  chime: z.number().int().min(0).max(MAX_CHIMES_PER_STATION - 1),
  v: z.number().min(0).max(1),
  t: z.number(),
});
export const stationMessageSchema = z.object({ type: z.literal('station'), station: stationSchema });
export const presenceMessageSchema = z.object({ type: z.literal('presence'), viewers: z.number().int().min(0) });
export const errorMessageSchema = z.object({
  type: z.literal('error'),
  code: z.enum(['bad_message', 'rate_limited']),
  detail: z.string().optional(),
});

/** Everything the relay sends on `/live` (and `error` on `/device`). */
export const relayMessageSchema = z.discriminatedUnion('type', [
  helloMessageSchema,
  strikeMessageSchema,
  stationMessageSchema,
  presenceMessageSchema,
  errorMessageSchema,
]);
export type HelloMessage = z.output<typeof helloMessageSchema>;
export type StrikeMessage = z.output<typeof strikeMessageSchema>;
export type StationMessage = z.output<typeof stationMessageSchema>;
export type PresenceMessage = z.output<typeof presenceMessageSchema>;
export type ErrorMessage = z.output<typeof errorMessageSchema>;
export type RelayMessage = z.output<typeof relayMessageSchema>;

/** A zod error as one line a person can act on: `item 2: chime: must be >= 0`. */
export function describeIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const where = issue.path.length ? issue.path.join('.') : 'value';
      return `${prefix}${where}: ${issue.message}`;
    })
    .join('; ');
}
