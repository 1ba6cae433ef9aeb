import { Writable } from 'node:stream';
import { pino, type Level } from 'pino';
import { expect, it } from 'vitest';
import { VIEWER_LOG_SUMMARY_INTERVAL_MS, ViewerConnectionLog } from './viewerConnectionLog';

function capture(level: Level) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, log: pino({ level }, sink) };
}

/** Timers the test runs by hand: the interval fires when the test says the interval has passed. */
function manualTimers() {
  const intervals = new Map<number, { run: () => void; ms: number }>();
  let next = 1;
  return {
    setInterval: (run: () => void, ms: number) => (intervals.set(next, { run, ms }), next++),
    clearInterval: (timer: unknown) => void intervals.delete(timer as number),
    elapse: (ms: number) => {
      for (const interval of intervals.values()) if (ms >= interval.ms) interval.run();
    },
    active: () => intervals.size,
  };
}

const flushed = () => new Promise((resolve) => setImmediate(resolve));

it('at info, many connections become one summary line per interval with the counts', async () => {
  const { lines, log } = capture('info');
  const timers = manualTimers();
  const viewers = new ViewerConnectionLog(log, () => 7, VIEWER_LOG_SUMMARY_INTERVAL_MS, timers);
  for (let i = 0; i < 10; i++) viewers.connected({ ip: '127.0.0.1', resumed: i < 3 ? 5 : 0 });
  for (let i = 0; i < 4; i++) viewers.disconnected({ code: 1001, connectedMs: 1000 });
  viewers.slowClosed({ backlog: 1 << 20 });
  await flushed();
  expect(lines).toEqual([]);

  timers.elapse(VIEWER_LOG_SUMMARY_INTERVAL_MS);
  await flushed();
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({ event: 'viewers_summary', connected: 10, resumed: 3, disconnected: 4, slowClosed: 1, watching: 7 });
  expect(lines[0]!.msg).toBe('viewers: 10 connected (3 resumed), 4 left, 1 cut for falling behind; 7 watching');

  // A quiet interval writes nothing; the counts start again after each summary.
  timers.elapse(VIEWER_LOG_SUMMARY_INTERVAL_MS);
  viewers.disconnected({ code: 1000, connectedMs: 5 });
  viewers.dispose();
  await flushed();
  expect(lines).toHaveLength(2);
  expect(lines[1]).toMatchObject({ connected: 0, disconnected: 1, msg: 'viewers: 0 connected, 1 left; 7 watching' });
  expect(timers.active()).toBe(0);
});

it('at debug, every connection has its own line as well', async () => {
  const { lines, log } = capture('debug');
  const viewers = new ViewerConnectionLog(log, () => 0, VIEWER_LOG_SUMMARY_INTERVAL_MS, manualTimers());
  viewers.connected({ ip: '10.0.0.1', resumed: 0 });
  viewers.disconnected({ code: 1006, connectedMs: 20 });
  viewers.dispose();
  await flushed();
  expect(lines.map((line) => line.event)).toEqual(['viewer_connected', 'viewer_disconnected', 'viewers_summary']);
  expect(lines[0]).toMatchObject({ ip: '10.0.0.1', level: 20 });
});
