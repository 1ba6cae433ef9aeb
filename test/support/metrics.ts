// Reading the relay's /metrics (Prometheus text) in tests.

/** The value of the unlabelled metric `name` in a /metrics text; throws if it is not there. */
export function metricValue(text: string, name: string): number {
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  if (!match) throw new Error(`${name} not in /metrics`);
  return Number(match[1]);
}

/** Fetches `<relayUrl>/metrics` and reads one unlabelled metric from it. */
export async function relayMetric(relayUrl: string, name: string): Promise<number> {
  return metricValue(await (await fetch(`${relayUrl}/metrics`)).text(), name);
}
