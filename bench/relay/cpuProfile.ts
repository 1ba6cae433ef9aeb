// Reads a V8 .cpuprofile (from `node --cpu-prof`) into a self-time summary: where the relay's
// own CPU goes, by function, so user time per write can be traced to code.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  where: string;
  ms: number;
  share: number;
}

/** V8's pseudo-frames for time not spent running code. */
const NOT_WORK = new Set(['(idle)', '(program)']);

/** Self time by function (name and file:line), largest first; shares are of the busy time (idle left out). */
export function selfTimes(profile: CpuProfile): SelfTime[] {
  const byNode = new Map<number, number>();
  profile.samples.forEach((id, index) => byNode.set(id, (byNode.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const byWhere = new Map<string, number>();
  let totalUs = 0;
  for (const node of profile.nodes) {
    const us = byNode.get(node.id) ?? 0;
    if (NOT_WORK.has(node.callFrame.functionName)) continue;
    totalUs += us;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url ? `${url.replace(/^file:\/\//, '').replace(process.cwd() + '/', '')}:${lineNumber + 1}` : '';
    const where = `${functionName || '(anonymous)'}${file ? ` ${file}` : ''}`;
    byWhere.set(where, (byWhere.get(where) ?? 0) + us);
  }
  return [...byWhere]
    .map(([where, us]) => ({ where, ms: us / 1000, share: totalUs ? us / totalUs : 0 }))
    .sort((a, b) => b.ms - a.ms);
}

/**
 * The top `count` self times of each main-thread .cpuprofile in `dir` (`CPU.<date>.<time>.<pid>.0.<n>`;
 * thread 1 is tsx's module-loader worker), as printable lines; `labels` names each pid's phase.
 */
export function summarizeProfiles(dir: string, count: number, labels: ReadonlyMap<number, string>): string {
  const files = readdirSync(dir).filter((name) => /\.\d+\.0\.\d+\.cpuprofile$/.test(name));
  if (files.length === 0) return `no main-thread .cpuprofile in ${dir} (did the relay exit cleanly?)`;
  return files
    .map((name) => {
      const pid = Number(name.split('.').at(-4));
      const top = selfTimes(JSON.parse(readFileSync(join(dir, name), 'utf8')) as CpuProfile).slice(0, count);
      return [`${join(dir, name)} (${labels.get(pid) ?? 'relay'}): top ${count} by self time, share of busy time`, ...top.map((t) => `${t.ms.toFixed(0).padStart(8)} ms ${(t.share * 100).toFixed(1).padStart(5)} %  ${t.where}`)].join('\n');
    })
    .join('\n\n');
}
