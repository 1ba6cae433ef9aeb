// Reading the relay's /metrics (Prometheus text) in tests.

/**
 * The value of metric `name` in a /metrics text, its labels written as /metrics prints them
 * (`nodejs_gc_duration_seconds_count{kind="major"}`); throws if it is not there.
 */
export function metricValue(text: string, name: string): number {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`^${escaped} (\\S+)$`, 'm').exec(text);
  if (!match) throw new Error(`${name} not in /metrics`);
  return Number(match[1]);
}

/** Fetches `<relayUrl>/metrics` and reads one metric from it. */
export async function relayMetric(relayUrl: string, name: string): Promise<number> {
  return metricValue(await (await fetch(`${relayUrl}/metrics`)).text(), name);
}
