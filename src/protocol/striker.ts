// Ringing a real chime (docs/protocol.md "Striker"): the `capabilities` message a device sends on
// /device to declare its striker, and the `ring` command the relay sends it. No I/O here.
import { z } from 'zod/mini';
import { MAX_CHIMES_PER_STATION } from './limits';
import { describeIssues, strikerLimitsSchema } from './schema';

/** Largest capabilities frame. */
export const MAX_DEVICE_CAPABILITIES_BYTES = 512;

/**
 * Device -> relay, after connecting: what the device can do beyond sending strikes. Unknown fields
 * are ignored (newer firmware may add some); a device without a striker leaves `striker` out.
 */
export const deviceCapabilitiesSchema = z.object({
  type: z.literal('capabilities'),
  striker: z.optional(z.object(strikerLimitsSchema.shape)),
});
export type DeviceCapabilities = z.output<typeof deviceCapabilitiesSchema>;

/** Relay -> device: strike this chime now. `id` is the seq of the visitor's touch it answers. */
export const ringCommandSchema = z.strictObject({
  type: z.literal('ring'),
  chime: z.int().check(z.gte(0), z.lte(MAX_CHIMES_PER_STATION - 1)),
  v: z.number().check(z.gte(0), z.lte(1)),
  id: z.int().check(z.gte(0)),
});
export type RingCommand = z.output<typeof ringCommandSchema>;

export type DeviceCapabilitiesResult = { ok: true; capabilities: DeviceCapabilities } | { ok: false; detail: string };

/**
 * A device frame, if it is a capabilities message (a JSON object with `"type":"capabilities"`);
 * undefined for anything else (strikes, status), which other parsers read.
 */
export function parseDeviceCapabilities(text: string): DeviceCapabilitiesResult | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') || !trimmed.includes('"capabilities"')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return undefined; // not JSON: the strike parser names the problem
  }
  if (typeof value !== 'object' || value === null || (value as { type?: unknown }).type !== 'capabilities') return undefined;
  if (new TextEncoder().encode(text).length > MAX_DEVICE_CAPABILITIES_BYTES) {
    return { ok: false, detail: `capabilities message over ${MAX_DEVICE_CAPABILITIES_BYTES} bytes` };
  }
  const result = deviceCapabilitiesSchema.safeParse(value);
  return result.success ? { ok: true, capabilities: result.data } : { ok: false, detail: describeIssues(result.error) };
}
