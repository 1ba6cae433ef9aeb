// Parses one device text frame (JSON or compact text) into strikes, or a device status message. A
// frame is accepted or refused whole: the first bad item refuses it, with a detail a firmware author
// can act on.
import { z } from 'zod/mini';
import { deviceStrikeSchema, describeIssues, type DeviceStrike } from './schema';
import { MAX_DEVICE_STATUS_BYTES, MAX_FIRMWARE_VERSION_CHARS, MAX_SIGNAL_DBM, MAX_STRIKE_AGE_MS, MIN_SIGNAL_DBM } from './limits';

/**
 * A compact frame's resend mark (`#<boot>/<position>`, docs/protocol.md "Resends"): the device's
 * number for the frame's first strike, the others following one by one, within one boot of it.
 */
export interface ResendMark {
  /** 1-8 lowercase hex digits the device picked at random when it started. */
  boot: string;
  /** 0..RESEND_POSITION_MAX; wraps to 0 after it. */
  position: number;
}

export type DeviceFrameResult =
  | { ok: true; strikes: DeviceStrike[]; mark?: ResendMark }
  | { ok: false; detail: string };

/** The relay's /device upgrade response carries this header (value `1`) when it takes resend marks. */
export const RESEND_MARKS_HEADER = 'Aeolian-Resend-Marks';

/** Resend positions are 32-bit unsigned and wrap. */
export const RESEND_POSITION_MAX = 2 ** 32 - 1;

/** One compact item: `<chime>[:<v>][@<age>]`, e.g. `3`, `3:0.7`, `1:0.5@120`. */
const COMPACT_ITEM = /^(\d{1,3})(?::(\d+(?:\.\d+)?|\.\d+))?(?:@(\d{1,5}))?$/;
/** A resend mark, first in a compact frame: `#<boot: 1-8 hex digits>/<position>`, e.g. `#9f3a/1207`. */
const RESEND_MARK = /^#([0-9a-f]{1,8})\/(\d{1,10})$/;

export function parseDeviceFrame(text: string, chimes: number): DeviceFrameResult {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, detail: 'empty frame: send at least one strike' };
  const parsed = trimmed.startsWith('{') || trimmed.startsWith('[') ? parseJson(trimmed) : parseCompact(trimmed);
  if (!parsed.ok) return parsed;
  for (const [index, strike] of parsed.strikes.entries()) {
    if (strike.chime >= chimes) {
      return { ok: false, detail: `${itemLabel(index, parsed.strikes.length)}chime ${strike.chime} is out of range 0..${chimes - 1}` };
    }
  }
  return parsed;
}

function itemLabel(index: number, count: number): string {
  return count > 1 ? `item ${index}: ` : '';
}

function parseJson(text: string): DeviceFrameResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, detail: `invalid JSON: ${(error as Error).message}` };
  }
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0) return { ok: false, detail: 'empty array: send at least one strike' };
  const strikes: DeviceStrike[] = [];
  for (const [index, item] of items.entries()) {
    const result = deviceStrikeSchema.safeParse(item);
    if (!result.success) return { ok: false, detail: describeIssues(result.error, itemLabel(index, items.length)) };
    strikes.push(result.data);
  }
  return { ok: true, strikes };
}

function parseCompact(text: string): DeviceFrameResult {
  const items = text.split(/[,\r\n]+/).map((item) => item.trim()).filter((item) => item !== '');
  let mark: ResendMark | undefined;
  if (items[0]?.startsWith('#')) {
    const found = RESEND_MARK.exec(items[0]);
    const position = Number(found?.[2]);
    if (!found || position > RESEND_POSITION_MAX) {
      return { ok: false, detail: `"${items[0].slice(0, 40)}" is not a resend mark #<boot: 1-8 hex digits>/<position: 0..${RESEND_POSITION_MAX}>` };
    }
    mark = { boot: found[1]!, position };
    items.shift();
  }
  if (items.length === 0) return { ok: false, detail: 'no strikes in frame' };
  const strikes: DeviceStrike[] = [];
  for (const [index, item] of items.entries()) {
    const label = itemLabel(index, items.length);
    if (item.startsWith('#')) return { ok: false, detail: `${label}a resend mark must come first in the frame` };
    const match = COMPACT_ITEM.exec(item);
    if (!match) return { ok: false, detail: `${label}"${item.slice(0, 40)}" is not <chime>[:<v>][@<age>]` };
    const v = match[2] === undefined ? 1 : Number(match[2]);
    const age = match[3] === undefined ? 0 : Number(match[3]);
    if (v > 1) return { ok: false, detail: `${label}v ${v} is out of range 0..1` };
    if (age > MAX_STRIKE_AGE_MS) return { ok: false, detail: `${label}age ${age} is out of range 0..${MAX_STRIKE_AGE_MS}` };
    strikes.push({ chime: Number(match[1]), v, age });
  }
  return { ok: true, strikes, ...(mark && { mark }) };
}

/** Device counters are 32-bit unsigned. */
const DEVICE_COUNTER_MAX = 2 ** 32 - 1;

const counter = () => z.int().check(z.gte(0), z.lte(DEVICE_COUNTER_MAX));

/**
 * Device health, sent now and then on the /device link beside strikes. Unknown fields are ignored
 * (not refused), so newer firmware can add some without older relays refusing the whole message.
 */
export const deviceStatusSchema = z.object({
  type: z.literal('status'),
  firmware: z.string().check(z.regex(new RegExp(`^[A-Za-z0-9._+-]{1,${MAX_FIRMWARE_VERSION_CHARS}}$`), `must be 1-${MAX_FIRMWARE_VERSION_CHARS} of letters, digits and ._+-`)),
  uptimeS: counter(),
  rssiDbm: z.optional(z.int().check(z.gte(MIN_SIGNAL_DBM), z.lte(MAX_SIGNAL_DBM))),
  reconnects: counter(),
  strikesDropped: counter(),
  /** Ring commands the board's striker refused since boot (only a device with a striker sends it). */
  ringsRefused: z.optional(counter()),
});
export type DeviceStatus = z.output<typeof deviceStatusSchema>;

export type DeviceMessageResult =
  | { ok: true; kind: 'strikes'; strikes: DeviceStrike[]; mark?: ResendMark }
  | { ok: true; kind: 'status'; status: DeviceStatus }
  | { ok: false; detail: string };

/**
 * A device text frame: strikes (as parseDeviceFrame) or a status message, told apart by a JSON
 * object with `"type"`. The relay's device gateway calls this; a relay from before status called
 * parseDeviceFrame, which refuses a status frame as a bad strike (`bad_message`, link kept open).
 */
export function parseDeviceMessage(text: string, chimes: number): DeviceMessageResult {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') && trimmed.includes('"type"')) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      value = undefined; // not JSON: parseDeviceFrame below names the problem
    }
    if (typeof value === 'object' && value !== null && 'type' in value) {
      if (new TextEncoder().encode(text).length > MAX_DEVICE_STATUS_BYTES) return { ok: false, detail: `status message over ${MAX_DEVICE_STATUS_BYTES} bytes` };
      const result = deviceStatusSchema.safeParse(value);
      if (!result.success) return { ok: false, detail: describeIssues(result.error) };
      return { ok: true, kind: 'status', status: result.data };
    }
  }
  const strikes = parseDeviceFrame(text, chimes);
  return strikes.ok ? { kind: 'strikes', ...strikes } : strikes;
}
