// The relay under test as seen from the bench: its process (optionally under `node --cpu-prof`),
// and what the bench reads from it over HTTP (/healthz, /metrics).
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { RELAY_NODE_FLAGS } from '../../src/relay/nodeFlags';
import { findMetric } from '../../test/support/metrics';
import { forkTs, nextMessage } from './generators';

/** A relay writing its CPU profile on exit needs longer than one that only closes sockets. */
const EXIT_WAIT_MS = 3_000;
const EXIT_WAIT_PROFILING_MS = 30_000;

export interface RelayProcess {
  child: ChildProcess;
  port: number;
  /** Set when started under --cpu-prof: the profile is written here on exit. */
  profileDir?: string;
}

/** What each relay process started so far was for, by pid (names the CPU profiles). */
export const relayPhases = new Map<number, string>();

/**
 * A bench relay's node flags: production's (RELAY_NODE_FLAGS), then BENCH_RELAY_NODE_FLAGS for the
 * relay alone (e.g. --perf-basic-prof, for perf, or --trace-gc); V8 takes the last of a repeated flag.
 */
export function benchRelayNodeFlags(): string[] {
  return [...RELAY_NODE_FLAGS, ...(process.env.BENCH_RELAY_NODE_FLAGS ?? '').split(' ').filter(Boolean)];
}

export async function startRelayProcess(phase: string, profileDir?: string): Promise<RelayProcess> {
  const child = forkTs('./relayUnderTest.ts', [...benchRelayNodeFlags(), ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])]);
  relayPhases.set(child.pid!, phase);
  const { port } = await nextMessage<{ port: number }>(child, 'ready');
  return profileDir ? { child, port, profileDir } : { child, port };
}

export async function stopRelayProcess(relay: RelayProcess): Promise<void> {
  const { child } = relay;
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send({ cmd: 'exit' });
  await Promise.race([exited, sleep(relay.profileDir || process.env.BENCH_ALLOC_PROFILE ? EXIT_WAIT_PROFILING_MS : EXIT_WAIT_MS)]);
  child.kill('SIGKILL');
}

export async function healthz(port: number): Promise<{ seq: number; viewers: number }> {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`);
  return (await response.json()) as { seq: number; viewers: number };
}

export async function metric(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return findMetric(text, name) ?? NaN;
}

/** Cumulative bucket counts of the relay's fan-out histogram, by upper bound in seconds. */
export async function fanOutBuckets(port: number): Promise<Map<number, number>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const buckets = new Map<number, number>();
  for (const match of text.matchAll(/^aeolian_broadcast_duration_seconds_bucket\{le="([^"]+)"\} (\d+)$/gm)) {
    buckets.set(match[1] === '+Inf' ? Infinity : Number(match[1]), Number(match[2]));
  }
  return buckets;
}

/** The bucket bound under which `p` % of the broadcasts between two scrapes were written everywhere (ms). */
export function fanOutPercentileMs(before: Map<number, number>, after: Map<number, number>, p = 99): number {
  const total = (after.get(Infinity) ?? 0) - (before.get(Infinity) ?? 0);
  for (const [bound, count] of after) if (count - (before.get(bound) ?? 0) >= (p / 100) * total) return bound * 1000;
  return Infinity;
}
