// Every limit of the wire protocol, named with its unit. docs/protocol.md lists the same table;
// src/protocol/limits.test.ts keeps the two in step.

export const PROTOCOL_VERSION = 1;

/** Largest device text frame; bigger -> close 1009. */
export const MAX_DEVICE_FRAME_BYTES = 4096;
/** Largest `age` of a strike in a device frame. */
export const MAX_STRIKE_AGE_MS = 60_000;
/** Most chimes one station may declare. */
export const MAX_CHIMES_PER_STATION = 64;
/** More invalid frames than this inside INVALID_FRAME_WINDOW_MS -> close 1008. */
export const MAX_INVALID_FRAMES_PER_WINDOW = 20;
export const INVALID_FRAME_WINDOW_MS = 10_000;
/** Token bucket per station: sustained strikes per second and burst size. */
export const STATION_STRIKES_PER_S = 50;
export const STATION_STRIKE_BURST = 100;
/** At most one `rate_limited` notice to a device per interval. */
export const RATE_LIMIT_NOTICE_INTERVAL_MS = 1_000;
/** The relay pings devices this often; this many unanswered pings drop the device. */
export const DEVICE_PING_INTERVAL_MS = 10_000;
export const DEVICE_MISSED_PONGS_ALLOWED = 2;
/** Presence is sent at most this often when the count changes ... */
export const PRESENCE_MIN_INTERVAL_MS = 2_000;
/** ... and at least this often regardless, as the viewer heartbeat. */
export const HEARTBEAT_INTERVAL_MS = 15_000;
/** A viewer that hears nothing for this long treats its link as dead. */
export const VIEWER_SILENCE_DEAD_MS = 30_000;
/** Strikes kept for `since` resume. */
export const STRIKE_HISTORY_SIZE = 10_000;
/** A viewer whose unsent backlog passes this is closed with 1013. */
export const VIEWER_BACKLOG_BYTES = 1024 * 1024;
/**
 * Replay (a resume's backlog) written to one viewer before it has read it: the next chunk goes out
 * once the viewer answers a ping sent after this one, so a socket that never reads costs no more.
 */
export const VIEWER_REPLAY_IN_FLIGHT_BYTES = 64 * 1024;
/**
 * A viewer that asks with `batch=1` gets what the relay writes it at once as one text frame holding
 * a JSON array of at most this many messages (more go in further frames): one websocket message per
 * write instead of one per strike, which is what a browser's main thread pays for most.
 */
export const MAX_MESSAGES_PER_VIEWER_FRAME = 256;
/** Viewers one client address may hold open (VIEWERS_PER_ADDRESS overrides): a gallery or NAT shares one address. */
export const MAX_VIEWERS_PER_ADDRESS = 64;
/** On SIGTERM every socket is closed within this, then the process exits. */
export const SHUTDOWN_GRACE_MS = 1_000;

/** A connection must finish its HTTP request headers (websocket handshake included) within this: slowloris. */
export const HANDSHAKE_TIMEOUT_MS = 10_000;
/** A whole plain HTTP request must arrive within this. */
export const HTTP_REQUEST_TIMEOUT_MS = 30_000;
/** Largest HTTP request head (request line and headers); bigger gets HTTP 431. */
export const MAX_HANDSHAKE_HEADER_BYTES = 16 * 1024;
/** After answering a refused request head (400, 408, 431), its socket is destroyed this long later. */
export const REFUSED_REQUEST_LINGER_MS = 1_000;
/** Largest frame a viewer may send (viewers send nothing; bigger closes with 1009, smaller with 1008). */
export const MAX_VIEWER_FRAME_BYTES = 1024;

/** Firmware sends its device status this often, and once right after each connect (firmware/core/statusMessage.h has the same value). */
export const DEVICE_STATUS_INTERVAL_MS = 60_000;
/** A relay keeps at most one status per station per this interval; more often are ignored, not errors. */
export const DEVICE_STATUS_MIN_INTERVAL_MS = 10_000;
/** A station's last status older than this (two missed reports) is shown as stale on /admin. */
export const DEVICE_STATUS_STALE_MS = 2 * DEVICE_STATUS_INTERVAL_MS;
/** Largest status frame; the firmware's widest is under 200 bytes. */
export const MAX_DEVICE_STATUS_BYTES = 256;
/** Firmware version in a status: 1-32 of letters, digits and `._+-`. */
export const MAX_FIRMWARE_VERSION_CHARS = 32;
/** Reported signal strength range (dBm); out of range is refused, a device without one omits it. */
export const MIN_SIGNAL_DBM = -150;
export const MAX_SIGNAL_DBM = 0;
// Visitors play (WS /touch, docs/protocol.md "Visitors"). Token buckets: sustained per second, burst.
/** One /touch connection. */
export const TOUCH_PER_CLIENT_PER_S = 4;
export const TOUCH_PER_CLIENT_BURST = 8;
/** All /touch connections of one address (TRUST_PROXY decides the address). */
export const TOUCH_PER_ADDRESS_PER_S = 8;
export const TOUCH_PER_ADDRESS_BURST = 16;
/** Visitors of one station together get this share of its strike bucket (rate and burst), a bucket of their own. */
export const TOUCH_PER_STATION_SHARE = 0.25;
/** All visitors of this relay together. */
export const TOUCH_GLOBAL_PER_S = 50;
export const TOUCH_GLOBAL_BURST = 100;
/** Open /touch sockets per address; more get HTTP 429. */
export const TOUCH_MAX_CONNECTIONS_PER_ADDRESS = 8;
/** Largest touch frame; bigger is refused `too_large` ... */
export const TOUCH_MAX_FRAME_BYTES = 256;
/** ... and bigger than this closes the socket with 1009. */
export const TOUCH_CLOSE_FRAME_BYTES = 4 * TOUCH_MAX_FRAME_BYTES;
/** Ids of accepted touches a connection remembers to refuse replays (`duplicate`); older ones are forgotten. */
export const TOUCH_IDS_REMEMBERED = 1024;
/** Replies waiting in one /touch socket's send buffer beyond this are dropped (a page that never reads). */
export const TOUCH_REPLY_BACKLOG_BYTES = 64 * 1024;
/** `presence.visitors` counts addresses with a touch accepted within this. */
export const VISITOR_PRESENCE_WINDOW_MS = 60_000;
/** A touch older than this (a catch-up after an outage, history at start) rings no real chime. */
export const RING_MAX_DELAY_MS = 2_000;

/** WebSocket close codes the relay uses. */
export const CloseCode = {
  goingAway: 1001,
  protocolError: 1002,
  invalidPayload: 1007,
  policyViolation: 1008,
  messageTooBig: 1009,
  tryAgainLater: 1013,
  replacedByNewConnection: 4000,
} as const;
