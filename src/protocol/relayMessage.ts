// Parses what the relay sends, for the page and for tests. Never throws: a bad frame becomes a
// reason the caller can show or count.
import { relayMessageSchema, describeIssues, type RelayMessage } from './schema';
import { MAX_MESSAGES_PER_VIEWER_FRAME, PROTOCOL_VERSION } from './limits';

export type RelayMessageResult =
  | { ok: true; message: RelayMessage }
  | { ok: false; reason: 'invalid_json' | 'invalid_message' | 'unknown_type' | 'invalid_batch'; detail: string }
  | { ok: false; reason: 'incompatible_protocol'; detail: string; protocol: number };

const KNOWN_TYPES = new Set(['hello', 'strike', 'touch', 'station', 'station_removed', 'presence', 'error']);

/** One message: a frame's text, or a line of a recording. */
export function parseRelayMessage(text: string): RelayMessageResult {
  const parsed = parseJson(text);
  return 'value' in parsed ? checkMessage(parsed.value) : parsed;
}

/**
 * A whole /live frame: one message, or (for a viewer that asked with `batch=1`) a JSON array of 1 to
 * MAX_MESSAGES_PER_VIEWER_FRAME messages, in the order the relay sent them. Each element is judged
 * on its own, so one bad message in a batch is refused without losing the others; a frame that is
 * not JSON, or an array out of bounds, is one refusal.
 */
export function parseRelayFrame(text: string): RelayMessageResult[] {
  const parsed = parseJson(text);
  if (!('value' in parsed)) return [parsed];
  const value = parsed.value;
  if (!Array.isArray(value)) return [checkMessage(value)];
  if (value.length === 0 || value.length > MAX_MESSAGES_PER_VIEWER_FRAME) {
    return [{ ok: false, reason: 'invalid_batch', detail: `a batch holds 1 to ${MAX_MESSAGES_PER_VIEWER_FRAME} messages, not ${value.length}` }];
  }
  return value.map(checkMessage);
}

function parseJson(text: string): { value: unknown } | { ok: false; reason: 'invalid_json'; detail: string } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, reason: 'invalid_json', detail: (error as Error).message };
  }
}

function checkMessage(value: unknown): RelayMessageResult {
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  if (typeof type !== 'string' || !KNOWN_TYPES.has(type)) {
    return { ok: false, reason: 'unknown_type', detail: `unknown message type ${JSON.stringify(type ?? null)}` };
  }
  if (type === 'hello') {
    const protocol = (value as { protocol?: unknown }).protocol;
    if (typeof protocol === 'number' && protocol !== PROTOCOL_VERSION) {
      return {
        ok: false,
        reason: 'incompatible_protocol',
        protocol,
        detail: `relay speaks protocol ${protocol}, this page speaks ${PROTOCOL_VERSION}`,
      };
    }
  }
  const result = relayMessageSchema.safeParse(value);
  if (!result.success) return { ok: false, reason: 'invalid_message', detail: describeIssues(result.error) };
  return { ok: true, message: result.data };
}
