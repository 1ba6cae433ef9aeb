// One event from the Particle cloud, as the event stream's `data:` JSON or a webhook body carries
// it. Validated here, once; a refusal names the field.
import { z } from 'zod/mini';
import { describeIssues } from '../../protocol';

/** The stream's data JSON: `{"data","ttl","published_at","coreid"}`; a webhook adds `event`. */
const cloudEventSchema = z.object({
  event: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  data: z.nullable(z.string().check(z.maxLength(1024))),
  coreid: z.string().check(z.minLength(1), z.maxLength(64)),
  published_at: z.string().check(z.maxLength(40)),
});

export interface CloudEvent {
  /** Event name (from the SSE `event:` field, or the webhook's `event`). */
  name: string;
  /** The device's payload: compact strikes, or `online`/`offline` for `spark/status`. */
  payload: string;
  coreid: string;
  /** Cloud publish time, ms since the epoch. */
  publishedAt: number;
}

export type CloudEventResult = { ok: true; event: CloudEvent } | { ok: false; detail: string };

/** `name` is the SSE event name, when the JSON does not carry one itself. */
export function parseCloudEvent(value: unknown, name?: string): CloudEventResult {
  const result = cloudEventSchema.safeParse(value);
  if (!result.success) return { ok: false, detail: describeIssues(result.error) };
  const { event, data, coreid, published_at } = result.data;
  const publishedAt = Date.parse(published_at);
  if (!Number.isFinite(publishedAt)) return { ok: false, detail: 'published_at: must be an ISO 8601 time' };
  const eventName = event ?? name;
  if (!eventName) return { ok: false, detail: 'event: missing event name' };
  return { ok: true, event: { name: eventName, payload: data ?? '', coreid, publishedAt } };
}

export function parseCloudEventJson(text: string, name?: string): CloudEventResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, detail: `body: not valid JSON: ${(error as Error).message}` };
  }
  return parseCloudEvent(value, name);
}
