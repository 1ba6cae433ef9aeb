// Reading the relay's /metrics (Prometheus text) in tests.

/**
 * The value of metric `name` in a /metrics text, its labels written as /metrics prints them
 * (`nodejs_gc_duration_seconds_count{kind="major"}`), or undefined if it is not there.
 */
export function findMetric(text: string, name: string): number | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`^${escaped} (\\S+)$`, 'm').exec(text);
  return match ? Number(match[1]) : undefined;
}

/** findMetric, throwing if the metric is not there. */
export function metricValue(text: string, name: string): number {
  const value = findMetric(text, name);
  if (value === undefined) throw new Error(`${name} not in /metrics`);
  return value;
}

/** Fetches `<relayUrl>/metrics` and reads one metric from it. */
export async function relayMetric(relayUrl: string, name: string): Promise<number> {
  return metricValue(await (await fetch(`${relayUrl}/metrics`)).text(), name);
}
