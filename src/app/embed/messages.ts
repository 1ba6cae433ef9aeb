// The postMessage API of `?embed`, validated at the boundary like every message from outside:
// commands from the parent page, and the status the embed reports back. No I/O here.
import { z } from 'zod/mini';
import { embedParentOrigin } from '../../protocol/embedParent';
import { stationIdSchema } from '../../protocol/schema';
import type { LiveState } from '../store/liveStore';

/** Every message of this API has a `type` starting with this, so it can share a channel with others. */
export const EMBED_MESSAGE_PREFIX = 'aeolian:';

export const embedCommandSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('aeolian:mute') }),
  z.strictObject({ type: z.literal('aeolian:unmute') }),
  /** 0..1, as the volume slider. */
  z.strictObject({ type: z.literal('aeolian:volume'), volume: z.number().check(z.gte(0), z.lte(1)) }),
  /** A station id to show close up, or null for the whole world. */
  z.strictObject({ type: z.literal('aeolian:station'), station: z.nullable(stationIdSchema) }),
  /** Visitors' chime buttons on or off (their touches still show and sound either way). */
  z.strictObject({ type: z.literal('aeolian:buttons'), enabled: z.boolean() }),
]);
export type EmbedCommand = z.output<typeof embedCommandSchema>;

export type ParsedCommand = { ok: true; command: EmbedCommand } | { ok: false; error: string } | { ok: false; error: null };

/**
 * `error: null` for messages that are not for us at all (other libraries share postMessage): those
 * are ignored silently. Ours but malformed get a readable error.
 */
export function parseEmbedCommand(data: unknown): ParsedCommand {
  const type = typeof data === 'object' && data !== null ? (data as { type?: unknown }).type : undefined;
  if (typeof type !== 'string' || !type.startsWith(EMBED_MESSAGE_PREFIX)) return { ok: false, error: null };
  const parsed = embedCommandSchema.safeParse(data);
  if (parsed.success) return { ok: true, command: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
  return { ok: false, error: `${type}: ${issue?.message ?? 'invalid'}${where}` };
}

export interface EmbedStatus {
  type: 'aeolian:status';
  connection: LiveState['connection']['state'];
  source: string;
  audio: LiveState['audio'];
  muted: boolean;
  volume: number;
  station: string | null;
  stations: { id: string; name: string; online: boolean }[];
  /** Whether visitors' chime buttons are shown. */
  buttons: boolean;
}

export function embedStatusOf(state: LiveState, buttons = true): EmbedStatus {
  return {
    type: 'aeolian:status',
    connection: state.connection.state,
    source: state.source,
    audio: state.audio,
    muted: state.muted,
    volume: state.volume,
    station: state.focusStation,
    stations: state.stations.map(({ id, name, online }) => ({ id, name, online })),
    buttons,
  };
}

/**
 * The `?parent=` origin, or null if absent; an invalid one is an error, not a silent "any". Read as
 * the relay's CSP reads it (embedParentOrigin), so a parent the page obeys is one allowed to frame it.
 */
export function parentOriginFrom(params: URLSearchParams): { origin: string | null } | { error: string } {
  const parent = params.get('parent');
  if (parent === null) return { origin: null };
  const origin = embedParentOrigin(parent);
  if (origin) return { origin };
  return { error: `?parent= must be an origin like https://example.org, not "${parent.slice(0, 80)}"` };
}
