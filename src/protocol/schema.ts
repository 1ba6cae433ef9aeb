// The one schema of the wire protocol: runtime validation (zod, its tree-shakable "mini" build so
// the page stays small) and the TypeScript types both the relay and the page use. No I/O here.
import { z } from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { MAX_CHIMES_PER_STATION, MAX_STRIKE_AGE_MS } from './limits';

// zod/mini ships without messages; English ones make refusals readable on both sides.
z.config(en());

const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.int().check(z.gte(min), z.lte(max));
const numberIn = (min: number, max: number) => z.number().check(z.gte(min), z.lte(max));
const text = (min: number, max: number) => z.string().check(z.minLength(min), z.maxLength(max));

/** One strike as a device sends it in a JSON frame. */
export const deviceStrikeSchema = z.strictObject({
  chime: int(0),
  v: z._default(numberIn(0, 1), 1),
  age: z._default(numberIn(0, MAX_STRIKE_AGE_MS), 0),
});
export type DeviceStrike = z.output<typeof deviceStrikeSchema>;

export const stationIdSchema = z
  .string()
  .check(z.regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be 1-40 of a-z, 0-9 and -, starting with a letter or digit'));

/**
 * Control characters (C0, DEL, C1), bidirectional controls and overrides (U+061C, U+200E/F,
 * U+202A-E, U+2066-9) and line/paragraph separators: a name is shown in pages and printed to the
 * operator's terminal, where these would move the cursor, rewrite the screen or reverse the text.
 */
const UNSAFE_NAME_CHARACTERS = /^[^\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\u2028\u2029]*$/u;
/** At least one character that is neither whitespace nor an invisible format character. */
const VISIBLE_CHARACTER = /[^\s\p{Cf}]/u;

/** A station's display name: 1-80 characters of plain text, at least one of them visible. */
export const stationNameSchema = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(80),
    z.regex(UNSAFE_NAME_CHARACTERS, 'must not contain control or bidirectional-override characters'),
    z.regex(VISIBLE_CHARACTER, 'must have a visible character, not only spaces'),
  );

const publicStationFields = {
  id: stationIdSchema,
  name: stationNameSchema,
  lat: numberIn(-90, 90),
  lon: numberIn(-180, 180),
  chimes: int(1, MAX_CHIMES_PER_STATION),
};

/** A station as the public sees it: never a token or a device id. */
export const stationSchema = z.strictObject({
  ...publicStationFields,
  online: z.boolean(),
  lastSeen: z.nullable(z.number()),
  /** Present (true) only for the relay's simulated stations: the public must know what is real. */
  simulated: z.optional(z.literal(true)),
});
export type Station = z.output<typeof stationSchema>;

/** `"HH:MM"`, 24-hour clock. */
const clockTime = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24-hour clock)'));
/** An IANA time zone this runtime knows, e.g. `Europe/Berlin`. */
const timeZone = z.string().check(
  z.maxLength(64),
  z.refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone such as Europe/Berlin'),
);
const chimeList = z.array(int(0, MAX_CHIMES_PER_STATION - 1)).check(
  z.minLength(1),
  z.maxLength(MAX_CHIMES_PER_STATION),
  z.refine((chimes) => new Set(chimes).size === chimes.length, 'must not list a chime twice'),
);
/** Most rings per minute a striker may be configured for (stations file or device). */
export const MAX_STRIKER_RINGS_PER_MINUTE = 600;
/** Longest configurable gap between two rings. */
export const MAX_STRIKER_GAP_MS = 3_600_000;

/**
 * The limits of a striker (a solenoid that rings a chime): which chimes it can strike, how often in
 * a minute, and the shortest gap between two rings. The stations file and the device each declare
 * one; the relay rings only within both.
 */
const strikerLimitFields = {
  chimes: chimeList,
  maxPerMinute: int(1, MAX_STRIKER_RINGS_PER_MINUTE),
  minGapMs: int(0, MAX_STRIKER_GAP_MS),
};
export const strikerLimitsSchema = z.strictObject(strikerLimitFields);
export type StrikerLimits = z.output<typeof strikerLimitsSchema>;

/** The stations file's striker: its limits, and hours (local time in `tz`) in which it never rings. */
export const stationStrikerSchema = z.strictObject({
  ...strikerLimitFields,
  quietHours: z.optional(
    z
      .strictObject({ from: clockTime, to: clockTime, tz: timeZone })
      .check(z.refine((quiet) => quiet.from !== quiet.to, 'quietHours: from and to must differ')),
  ),
});
export type StationStriker = z.output<typeof stationStrikerSchema>;

/** One entry of the stations file: public fields plus private ones that never leave the relay. */
export const stationConfigSchema = z.strictObject({
  ...publicStationFields,
  tokenSha256: z.string().check(z.regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits (SHA-256 of the token)')),
  /** A Particle device id: printable ASCII, no spaces (ids are 24 hex digits; the CLI prints them). */
  particleId: z.optional(z.string().check(z.regex(/^[\x21-\x7e]{1,64}$/, 'must be 1-64 printable ASCII characters without spaces'))),
  muted: z.optional(z.boolean()),
  /** Overrides of the station's token bucket (defaults STATION_STRIKES_PER_S / STATION_STRIKE_BURST). */
  strikesPerSecond: z.optional(z.number().check(z.positive(), z.lte(100_000))),
  burst: z.optional(int(1, 1_000_000)),
  /** `false`: visitors may not touch this station's chimes (docs/protocol.md "Visitors"). */
  participation: z.optional(z.boolean()),
  /** The station's device can ring a real chime for visitors, within these limits. */
  striker: z.optional(stationStrikerSchema),
});
export type StationConfig = z.output<typeof stationConfigSchema>;

export const helloMessageSchema = z.object({
  type: z.literal('hello'),
  protocol: z.int(),
  epoch: text(1, 64),
  seq: int(0),
  now: z.number(),
  stations: z.array(stationSchema),
  viewers: int(0),
  gap: z.optional(z.boolean()),
});
export const strikeMessageSchema = z.object({
  type: z.literal('strike'),
  seq: int(0),
  station: stationIdSchema,
  chime: int(0, MAX_CHIMES_PER_STATION - 1),
  v: numberIn(0, 1),
  t: z.number(),
});
/** A visitor's touch, numbered in the same seq sequence as strikes (docs/protocol.md "Visitors"). */
export const touchMessageSchema = z.object({
  type: z.literal('touch'),
  seq: int(0),
  station: stationIdSchema,
  chime: int(0, MAX_CHIMES_PER_STATION - 1),
  v: numberIn(0, 1),
  t: z.number(),
});
export const stationMessageSchema = z.object({ type: z.literal('station'), station: stationSchema });
/** A station taken off the relay by its operator: pages drop it (it was sent offline just before). */
export const stationRemovedMessageSchema = z.object({ type: z.literal('station_removed'), station: stationIdSchema });
export const presenceMessageSchema = z.object({
  type: z.literal('presence'),
  viewers: int(0),
  /** Addresses with a touch accepted in the last VISITOR_PRESENCE_WINDOW_MS (with a backplane: on every relay, each once). */
  visitors: z.optional(int(0)),
});
export const errorMessageSchema = z.object({
  type: z.literal('error'),
  code: z.enum(['bad_message', 'rate_limited']),
  detail: z.optional(z.string()),
});

/** Everything the relay sends on `/live` (and `error` on `/device`). */
export const relayMessageSchema = z.discriminatedUnion('type', [
  helloMessageSchema,
  strikeMessageSchema,
  touchMessageSchema,
  stationMessageSchema,
  stationRemovedMessageSchema,
  presenceMessageSchema,
  errorMessageSchema,
]);
export type HelloMessage = z.output<typeof helloMessageSchema>;
export type StrikeMessage = z.output<typeof strikeMessageSchema>;
export type TouchMessage = z.output<typeof touchMessageSchema>;
export type StationMessage = z.output<typeof stationMessageSchema>;
export type StationRemovedMessage = z.output<typeof stationRemovedMessageSchema>;
export type PresenceMessage = z.output<typeof presenceMessageSchema>;
export type ErrorMessage = z.output<typeof errorMessageSchema>;
export type RelayMessage = z.output<typeof relayMessageSchema>;

export interface ValidationIssues {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}

/** A zod error as one line a person can act on: `item 2: chime: Too small: expected number to be >=0`. */
export function describeIssues(error: ValidationIssues, prefix = ''): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const where = issue.path.length ? issue.path.map(String).join('.') : 'value';
      return `${prefix}${where}: ${issue.message}`;
    })
    .join('; ');
}
