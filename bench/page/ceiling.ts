// The ceiling of a page with frames uncapped (--disable-frame-rate-limit --disable-gpu-vsync): the
// strike rate at which renderer main-thread work per frame passes one 60 Hz frame, or the page's
// worker threads are nearly always busy, or the page falls behind (stale strikes, or fewer received
// than sent). Doubling from a start rate until over, then bisecting between the last rate under and
// the first over. Work is the main thread's CPU time by default (task wall time also counts waiting
// for a core, which on a shared 2-core machine is other processes' doing), or its task time with
// `by: 'task'`.
import { setTimeout as sleep } from 'node:timers/promises';
import type WebSocket from 'ws';
import { measurePhase, waitForQuiet, type PageUnderTest } from './phase';

/** One 60 Hz frame, less a little for the compositor: the budget the issue sets for main-thread work. */
export const WORK_PER_FRAME_BUDGET_MS = 16;

export interface CeilingStep {
  rate: number;
  workPerFrameMs: number;
  cpuPerFrameMs: number;
  /** Share of the window the browser's dedicated-worker threads were on a core. */
  workerBusyShare: number;
  framesPerS: number;
  receivedPerS: number;
  stalePerS: number;
}

/** A worker thread busier than this share of the time can no longer keep up with what comes. */
export const WORKER_BUSY_LIMIT = 0.9;
/** A page that takes in less than this share of the strikes sent has fallen behind (or was not fed). */
export const RECEIVED_SHARE_LIMIT = 0.95;

/** Why a step is over (null: within): the main thread, a worker thread, or the page fell behind. */
export function overReason(step: CeilingStep, by: CeilingOptions['by']): 'main thread' | 'worker thread' | 'fell behind' | null {
  if ((by === 'cpu' ? step.cpuPerFrameMs : step.workPerFrameMs) > WORK_PER_FRAME_BUDGET_MS) return 'main thread';
  if (step.workerBusyShare > WORKER_BUSY_LIMIT) return 'worker thread';
  if (step.stalePerS > 0 || step.receivedPerS < RECEIVED_SHARE_LIMIT * step.rate) return 'fell behind';
  return null;
}

export const overBudget = (step: CeilingStep, by: CeilingOptions['by']) => overReason(step, by) !== null;

export interface Ceiling {
  kind: PageUnderTest['kind'];
  /** Highest rate measured with work per frame within budget (0: none was). */
  ceiling: number;
  /** Lowest rate measured over budget (null: none was, up to maxRate). */
  firstOver: number | null;
  steps: CeilingStep[];
}

export interface CeilingOptions {
  /** Which per-frame measure is held to the budget: main-thread CPU time or task (wall) time. */
  by: 'cpu' | 'task';
  startRate: number;
  /** When the start rate is already over: halved down to this before giving up. */
  minRate: number;
  maxRate: number;
  bisectSteps: number;
  phaseMs: number;
  /** Feed before each measured window, so circles (and the naive page's transitions) are at steady state. */
  warmupMs: number;
  settleMs: number;
}

export async function searchCeiling(target: PageUnderTest, devices: WebSocket[], options: CeilingOptions): Promise<Ceiling> {
  const steps: CeilingStep[] = [];
  const over = async (rate: number) => {
    const phase = await measurePhase(target, devices, rate, options.phaseMs, 1, options.warmupMs);
    const seconds = options.phaseMs / 1000;
    const step = { rate, workPerFrameMs: phase.workPerFrameMs, cpuPerFrameMs: phase.cpuPerFrameMs, workerBusyShare: phase.workerBusyShare, framesPerS: phase.frames / seconds, receivedPerS: phase.received / seconds, stalePerS: phase.stale / seconds };
    steps.push(step);
    console.log(`ceiling ${target.kind}`, step);
    await waitForQuiet(target);
    await sleep(options.settleMs);
    return overBudget(step, options.by);
  };
  let under = 0;
  let firstOver: number | null = null;
  for (let rate = options.startRate; rate <= options.maxRate; rate *= 2) {
    if (await over(rate)) {
      firstOver = rate;
      break;
    }
    under = rate;
  }
  // Over from the start: halve until within (or the floor), so the bisection has a lower bound.
  while (under === 0 && firstOver !== null && firstOver / 2 >= options.minRate) {
    const rate = Math.round(firstOver / 2);
    if (await over(rate)) firstOver = rate;
    else under = rate;
  }
  for (let i = 0; firstOver !== null && i < options.bisectSteps; i++) {
    const mid = Math.round((under + firstOver) / 2);
    if (mid === under || mid === firstOver) break;
    if (await over(mid)) firstOver = mid;
    else under = mid;
  }
  return { kind: target.kind, ceiling: under, firstOver, steps };
}
