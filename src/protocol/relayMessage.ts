// Parses what the relay sends, for the page and for tests. Never throws: a bad frame becomes a
// reason the caller can show or count.
import { relayMessageSchema, describeIssues, type RelayMessage } from './schema';
import { PROTOCOL_VERSION } from './limits';

export type RelayMessageResult =
  | { ok: true; message: RelayMessage }
  | { ok: false; reason: 'invalid_json' | 'invalid_message' | 'unknown_type'; detail: string }
  | { ok: false; reason: 'incompatible_protocol'; detail: string; protocol: number };

const KNOWN_TYPES = new Set(['hello', 'strike', 'touch', 'station', 'station_removed', 'presence', 'error']);

export function parseRelayMessage(text: string): RelayMessageResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: 'invalid_json', detail: (error as Error).message };
  }
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
