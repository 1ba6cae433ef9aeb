// The visitors' wire as the page reads it (docs/protocol.md, "Visitors: `WS /touch`"): what the
// relay answers on /touch, and the `touch` and `presence.visitors` it fans out on /live. Validated
// here, at the boundary; inside the page the types are trusted. Pure.
import { z } from 'zod/mini';
import { MAX_CHIMES_PER_STATION } from '../../protocol';
import { describeIssues, stationIdSchema } from '../../protocol/schema';

/** Why the relay refused a touch (docs/protocol.md). */
export const TOUCH_REFUSAL_REASONS = ['slow_down', 'resting', 'station_resting', 'unknown_station', 'bad_message', 'duplicate', 'too_large'] as const;
export type TouchRefusalReason = (typeof TOUCH_REFUSAL_REASONS)[number];

/** A touch id: chosen by the page, unique per connection. */
export const TOUCH_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
const touchId = z.string().check(z.regex(TOUCH_ID_PATTERN));

const touchAckSchema = z.object({ type: z.literal('touch_ack'), id: touchId, seq: z.int().check(z.gte(0)) });
const touchRefusedSchema = z.object({
  type: z.literal('touch_refused'),
  id: z.optional(touchId),
  reason: z.enum(TOUCH_REFUSAL_REASONS),
  retryMs: z.optional(z.number().check(z.gte(0))),
});
const participationSchema = z.object({
  type: z.literal('participation'),
  enabled: z.boolean(),
  /** Only the stations where visitors are resting are listed (as false). */
  stations: z._default(z.record(z.string(), z.boolean()), {}),
});
export const touchReplySchema = z.discriminatedUnion('type', [touchAckSchema, touchRefusedSchema, participationSchema]);
export type TouchReply = z.output<typeof touchReplySchema>;
export type Participation = Omit<z.output<typeof participationSchema>, 'type'>;

/** A visitor's touch as every viewer gets it on /live, numbered in the strikes' seq sequence. */
export const touchMessageSchema = z.object({
  type: z.literal('touch'),
  seq: z.int().check(z.gte(0)),
  station: stationIdSchema,
  chime: z.int().check(z.gte(0), z.lte(MAX_CHIMES_PER_STATION - 1)),
  v: z.number().check(z.gte(0), z.lte(1)),
  t: z.number(),
});
export type TouchMessage = z.output<typeof touchMessageSchema>;

export type Parsed<T> = { ok: true; message: T } | { ok: false; detail: string };

function parseWith<T>(schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: Parameters<typeof describeIssues>[0] } }, text: string): Parsed<T> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, detail: `not JSON: ${(error as Error).message}` };
  }
  const result = schema.safeParse(value);
  return result.success ? { ok: true, message: result.data } : { ok: false, detail: describeIssues(result.error) };
}

/** What the relay said on /touch, or why it cannot be read. */
export const parseTouchReply = (text: string): Parsed<TouchReply> => parseWith(touchReplySchema, text);

/** A /live frame of type `touch`. */
export const parseTouchMessage = (text: string): Parsed<TouchMessage> => parseWith(touchMessageSchema, text);

/** `presence.visitors` of a /live presence frame, if the relay counts visitors. */
export function visitorsOfPresence(text: string): number | undefined {
  try {
    const visitors = (JSON.parse(text) as { visitors?: unknown }).visitors;
    return typeof visitors === 'number' && Number.isInteger(visitors) && visitors >= 0 ? visitors : undefined;
  } catch {
    return undefined;
  }
}

/** The /touch endpoint beside a /live address (same host, same scheme). */
export function touchUrlOf(liveUrl: string): string {
  const url = new URL(liveUrl);
  url.pathname = url.pathname.replace(/\/live\/?$/, '/touch');
  if (!url.pathname.endsWith('/touch')) url.pathname = '/touch';
  url.search = '';
  return url.href;
}
