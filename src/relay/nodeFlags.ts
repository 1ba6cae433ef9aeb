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
/**
 * `--heap-growing-percent=100`: after each mark-compact, let the old generation grow to twice what
 * survived before the next one. V8 otherwise sizes that limit from how fast the program allocates,
 * and a relay allocates slowly: with 10,000 viewers (~60 MB of sockets) at 200 strikes/s it set the
 * limit 2-4 MB above the live heap and ran a mark-compact every 20 s or so of the relay's time (nine
 * in a 180 s diagnostic, in seven of its eight slices; with this flag, one). Each marks every socket
 * (10-25 ms main-thread pause plus 100-200 ms of marking on the relay's core), and a bench slice
 * holding one had a p99 of up to twice the others' (75-282 ms against 72-138;
 * `BENCH_RELAY_NODE_FLAGS=--trace-gc`, 2026-12-02). It makes them rarer, not cheaper: a relay that
 * runs for hours still has one every few minutes at that load (docs/architecture.md). The heap may
 * grow to twice its live size in between (~60 MB more at 10,000 viewers, at most).
 */
export const RELAY_NODE_FLAGS: readonly string[] = ['--no-memory-reducer', '--heap-growing-percent=100'];

/** `node` arguments for the relay run from source (src/relay/main.ts through tsx), flags first. */
export const RELAY_FROM_SOURCE_ARGS: readonly string[] = [...RELAY_NODE_FLAGS, '--import', 'tsx', 'src/relay/main.ts'];

/** The relay flags a process was started without (from its `process.execArgv`). */
export function missingRelayNodeFlags(execArgv: readonly string[] = process.execArgv): string[] {
  return RELAY_NODE_FLAGS.filter((flag) => !execArgv.includes(flag));
}
