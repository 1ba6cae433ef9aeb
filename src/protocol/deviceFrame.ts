// Parses one device text frame (JSON or compact text) into strikes. A frame is accepted or refused
// whole: the first bad item refuses it, with a detail a firmware author can act on.
import { deviceStrikeSchema, describeIssues, type DeviceStrike } from './schema';
import { MAX_STRIKE_AGE_MS } from './limits';

export type DeviceFrameResult =
  | { ok: true; strikes: DeviceStrike[] }
  | { ok: false; detail: string };

/** One compact item: `<chime>[:<v>][@<age>]`, e.g. `3`, `3:0.7`, `1:0.5@120`. */
const COMPACT_ITEM = /^(\d{1,3})(?::(\d+(?:\.\d+)?|\.\d+))?(?:@(\d{1,5}))?$/;

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
  if (items.length === 0) return { ok: false, detail: 'no strikes in frame' };
  const strikes: DeviceStrike[] = [];
  for (const [index, item] of items.entries()) {
    const label = itemLabel(index, items.length);
    const match = COMPACT_ITEM.exec(item);
    if (!match) return { ok: false, detail: `${label}"${item.slice(0, 40)}" is not <chime>[:<v>][@<age>]` };
    const v = match[2] === undefined ? 1 : Number(match[2]);
    const age = match[3] === undefined ? 0 : Number(match[3]);
    if (v > 1) return { ok: false, detail: `${label}v ${v} is out of range 0..1` };
    if (age > MAX_STRIKE_AGE_MS) return { ok: false, detail: `${label}age ${age} is out of range 0..${MAX_STRIKE_AGE_MS}` };
    strikes.push({ chime: Number(match[1]), v, age });
  }
  return { ok: true, strikes };
}
