// Limits of the Particle cloud link, each a named constant with its unit. docs/deploy.md lists them.

/** The cloud allows at most this many event-stream opens per PARTICLE_STREAM_OPEN_WINDOW_MS. */
export const PARTICLE_MAX_STREAM_OPENS = 100;
export const PARTICLE_STREAM_OPEN_WINDOW_MS = 5 * 60_000;
/** The cloud pings about every 60 s; no bytes for this long means the stream is stalled. */
export const PARTICLE_STREAM_STALL_MS = 90_000;
/** Reconnect delay: full jitter in [0, min(MAX, BASE * 2^attempt)]. */
export const PARTICLE_RECONNECT_BASE_MS = 1_000;
export const PARTICLE_RECONNECT_MAX_MS = 60_000;
/**
 * Longest wait the relay honours from the cloud's Retry-After; larger values (or dates far ahead)
 * are clamped to it. Node's timers overflow past 2^31-1 ms and fire at once, so never trust the header.
 */
export const PARTICLE_RETRY_AFTER_MAX_MS = 15 * 60_000;
/** A stream that stayed open this long counts as healthy: the next reconnect starts from BASE again. */
export const PARTICLE_STREAM_HEALTHY_MS = 30_000;
/** One SSE event (all its data lines) larger than this is a broken stream: reconnect. */
export const PARTICLE_MAX_EVENT_CHARS = 64 * 1024;
/** Events are held this long and delivered in publish order, since the cloud may reorder them. */
export const PARTICLE_REORDER_HOLD_MS = 300;
/** The same event (device, publish time, payload) seen again inside this window is dropped. */
export const PARTICLE_DEDUPE_WINDOW_MS = 2 * 60_000;
/** Events published longer ago than this are stale and dropped (their strikes would sound late). */
export const PARTICLE_EVENT_MAX_AGE_MS = 60_000;
/** Unknown device ids remembered (for log-once); past this the set is cleared and starts over. */
export const PARTICLE_UNKNOWN_DEVICES_TRACKED = 1_000;
/** Largest webhook body; bigger -> 413. */
export const WEBHOOK_MAX_BODY_BYTES = 8 * 1024;
