// BENCH_PAGE_PROFILE=1: ours only, under a V8 CPU profile (written to tmp/page.cpuprofile) and a
// Chromium trace through CDP (tmp/page.trace.json, opens in chrome://tracing or Perfetto), summarized
// as renderer time by event name and thread.
import { mkdirSync, writeFileSync } from 'node:fs';
import type { CDPSession } from 'playwright-core';

const TRACE_CATEGORIES = 'devtools.timeline,blink,cc,gpu,v8';
const TOP_EVENTS = 40;
/** V8's default samples every 1 ms: too coarse for a 25 us message handler. */
const PROFILE_SAMPLING_US = 100;

interface TraceEvent {
  name: string;
  dur?: number;
  tid: number;
  ph: string;
  ts?: number;
  args?: unknown;
}

export async function startPageProfile(cdp: CDPSession): Promise<() => Promise<string>> {
  const traceEvents: TraceEvent[] = [];
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: PROFILE_SAMPLING_US });
  await cdp.send('Profiler.start');
  cdp.on('Tracing.dataCollected', (event) => traceEvents.push(...(event.value as unknown as TraceEvent[])));
  await cdp.send('Tracing.start', { categories: TRACE_CATEGORIES, transferMode: 'ReportEvents' });
  return async () => {
    const { profile } = await cdp.send('Profiler.stop');
    mkdirSync('tmp', { recursive: true });
    writeFileSync('tmp/page.cpuprofile', JSON.stringify(profile));
    const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.end');
    await done;
    writeFileSync('tmp/page.trace.json', JSON.stringify({ traceEvents }));
    // Where the renderer's time goes: complete events by thread and name.
    const byName = new Map<string, number>();
    for (const event of traceEvents) {
      if (event.ph !== 'X' || !event.dur) continue;
      const key = `${event.tid} ${event.name}`;
      byName.set(key, (byName.get(key) ?? 0) + event.dur / 1000);
    }
    const top = [...byName].sort((a, b) => b[1] - a[1]).slice(0, TOP_EVENTS);
    return ['CPU profile: tmp/page.cpuprofile. Trace, ms by thread and event:', ...top.map(([k, v]) => `${v.toFixed(0).padStart(8)} ms  ${k}`)].join('\n');
  };
}
