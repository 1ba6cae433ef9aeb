// The node flags every relay process runs with. The launchers (package.json's `start` and `relay`,
// the systemd unit, the container's entrypoint, the bench's relay and the tests' relay processes)
// each pass them; nodeFlags.test.ts checks that they do, and main.ts warns when a relay lacks one.

/**
 * `--no-memory-reducer`: V8's memory reducer takes a low allocation rate for an idle program (a relay
 * at 50 strikes/s allocates below its threshold) and runs up to three full mark-compacts half a second
 * apart to shrink the heap. With 10,000 viewers each of them marks the ~60 MB of sockets and paused the
 * main thread for 11-72 ms, with as much again in marking steps between sweeps: the 2.5 s bench slice
 * holding such a cycle had a p99 of 180 ms against 74-82 ms in the relay's other slices
 * (`BENCH_RELAY_NODE_FLAGS=--trace-gc`, 2026-12-02). A relay's heap is its viewers, steady for hours;
 * shrinking it buys nothing. Ordinary collections still run whenever allocation needs them.
 */
export const RELAY_NODE_FLAGS: readonly string[] = ['--no-memory-reducer'];

/** `node` arguments for the relay run from source (src/relay/main.ts through tsx), flags first. */
export const RELAY_FROM_SOURCE_ARGS: readonly string[] = [...RELAY_NODE_FLAGS, '--import', 'tsx', 'src/relay/main.ts'];

/** The relay flags a process was started without (from its `process.execArgv`). */
export function missingRelayNodeFlags(execArgv: readonly string[] = process.execArgv): string[] {
  return RELAY_NODE_FLAGS.filter((flag) => !execArgv.includes(flag));
}
