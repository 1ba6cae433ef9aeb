// The messages of `WS /touch`, where visitors play the chimes (docs/protocol.md "Visitors"): the touch
// a page sends, and the relay's answers to that page. The `touch` broadcast on /live sits with the
// other /live messages in schema.ts. No I/O here.
import { z } from 'zod/mini';
import { MAX_CHIMES_PER_STATION, TOUCH_MAX_FRAME_BYTES } from './limits';
import { describeIssues, stationIdSchema } from './schema';

/** Chosen by the page, unique per connection: names the touch in the answer, and guards against replays. */
export const touchIdSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be 1-32 of A-Z, a-z, 0-9, _ and -'));

/** Page -> relay: one touch per text frame. The relay checks `chime` against the station's chimes. */
export const touchRequestSchema = z.strictObject({
  type: z.literal('touch'),
  id: touchIdSchema,
  station: stationIdSchema,
  chime: z.int().check(z.gte(0), z.lte(MAX_CHIMES_PER_STATION - 1)),
  v: z._default(z.number().check(z.gte(0), z.lte(1)), 1),
});
export type TouchRequest = z.output<typeof touchRequestSchema>;

/** Why a touch was refused; each is documented in docs/protocol.md. */
export const TOUCH_REFUSAL_REASONS = [
  'slow_down',
  'resting',
  'station_resting',
  'unknown_station',
  'bad_message',
  'duplicate',
  'too_large',
] as const;
export type TouchRefusalReason = (typeof TOUCH_REFUSAL_REASONS)[number];

/** Relay -> page: the touch was accepted and is broadcast on /live with this seq. */
export const touchAckSchema = z.object({ type: z.literal('touch_ack'), id: touchIdSchema, seq: z.int().check(z.gte(0)) });
/** Relay -> page: the touch was refused. `id` is absent when the frame was too broken to read one. */
export const touchRefusedSchema = z.object({
  type: z.literal('touch_refused'),
  id: z.optional(touchIdSchema),
  reason: z.enum(TOUCH_REFUSAL_REASONS),
  /** slow_down: ms until a touch would be accepted again. */
  retryMs: z.optional(z.int().check(z.gte(0))),
  /** bad_message: what is wrong, for the page's author. */
  detail: z.optional(z.string().check(z.maxLength(300))),
});
/** Relay -> page, on connect and whenever it changes: may visitors play, and which stations not. */
export const participationMessageSchema = z.object({
  type: z.literal('participation'),
  enabled: z.boolean(),
  /** Only stations where visitors may not play (each `false`). */
  stations: z.record(stationIdSchema, z.literal(false)),
});

export const touchServerMessageSchema = z.discriminatedUnion('type', [touchAckSchema, touchRefusedSchema, participationMessageSchema]);
export type TouchAck = z.output<typeof touchAckSchema>;
export type TouchRefused = z.output<typeof touchRefusedSchema>;
export type ParticipationMessage = z.output<typeof participationMessageSchema>;
export type TouchServerMessage = z.output<typeof touchServerMessageSchema>;

export type TouchRequestResult =
  | { ok: true; touch: TouchRequest }
  | { ok: false; reason: 'too_large' | 'bad_message'; id?: string; detail: string };

/** Reads one frame a page sent to /touch. Never throws. `byteLength`: the frame's size, if known. */
export function parseTouchRequest(text: string, byteLength = new TextEncoder().encode(text).length): TouchRequestResult {
  if (byteLength > TOUCH_MAX_FRAME_BYTES) {
    return { ok: false, reason: 'too_large', detail: `frame of ${byteLength} bytes; at most ${TOUCH_MAX_FRAME_BYTES} (TOUCH_MAX_FRAME_BYTES)` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: 'bad_message', detail: `invalid JSON: ${(error as Error).message}` };
  }
  const result = touchRequestSchema.safeParse(value);
  if (result.success) return { ok: true, touch: result.data };
  const rawId = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined;
  const id = touchIdSchema.safeParse(rawId);
  return { ok: false, reason: 'bad_message', ...(id.success ? { id: id.data } : {}), detail: describeIssues(result.error) };
}

export type TouchServerMessageResult = { ok: true; message: TouchServerMessage } | { ok: false; detail: string };

/** Reads one frame the relay sent on /touch (for the page). Never throws. */
export function parseTouchServerMessage(text: string): TouchServerMessageResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, detail: `invalid JSON: ${(error as Error).message}` };
  }
  const result = touchServerMessageSchema.safeParse(value);
  return result.success ? { ok: true, message: result.data } : { ok: false, detail: describeIssues(result.error) };
}
