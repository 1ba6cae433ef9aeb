// The viewer generators bench:relay can run: the C one (viewerSwarm.c, compiled here with the
// machine's gcc; the default, because every read it makes is CPU taken from the relay on these two
// cores) or the TypeScript one (viewerSwarm.ts; BENCH_GENERATOR=node, or when gcc is missing).
// Both take the same commands and give the same replies, so run.ts does not care which.
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { SwarmCommand } from './viewerSwarm';

export type GeneratorKind = 'c' | 'node';

/** What run.ts needs of a generator process: ChildProcess's IPC surface. */
export interface GeneratorProcess extends EventEmitter {
  readonly pid: number | undefined;
  readonly connected: boolean;
  send(command: SwarmCommand): void;
  kill(signal?: NodeJS.Signals): void;
}

const C_SOURCE = fileURLToPath(new URL('./viewerSwarm.c', import.meta.url));
let compiled: string | undefined;

/** Compiles viewerSwarm.c once per run; 'node' if there is no C compiler. */
export function pickGenerator(wanted = process.env.BENCH_GENERATOR ?? 'c'): GeneratorKind {
  if (wanted === 'node') return 'node';
  if (compiled) return 'c';
  const binary = join(mkdtempSync(join(tmpdir(), 'aeolian-swarm-')), 'viewer-swarm');
  try {
    execFileSync(process.env.CC ?? 'gcc', ['-O2', '-o', binary, C_SOURCE], { stdio: ['ignore', 'ignore', 'inherit'] });
  } catch {
    console.warn('bench:relay: no C compiler (gcc), so the TypeScript generator runs: expect less relay CPU and higher latencies');
    return 'node';
  }
  compiled = binary;
  return 'c';
}

export function startGenerator(kind: GeneratorKind): GeneratorProcess {
  if (kind === 'node') {
    return fork(fileURLToPath(new URL('./viewerSwarm.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    }) as ChildProcess & GeneratorProcess;
  }
  return new NativeGenerator(compiled!);
}

/** viewerSwarm.c behind ChildProcess's send/'message' surface: commands as lines, replies as JSON lines. */
class NativeGenerator extends EventEmitter implements GeneratorProcess {
  private readonly child: ChildProcess;
  connected = true;

  constructor(binary: string) {
    super();
    this.child = spawn(binary, [], { stdio: ['pipe', 'pipe', 'inherit'] });
    createInterface({ input: this.child.stdout! }).on('line', (line) => this.emit('message', JSON.parse(line)));
    this.child.on('exit', (code) => {
      this.connected = false;
      this.emit('exit', code);
    });
    this.child.stdin!.on('error', () => undefined);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  send(command: SwarmCommand): void {
    this.child.stdin!.write(`${toLine(command)}\n`);
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    this.child.kill(signal);
  }
}

function toLine(command: SwarmCommand): string {
  switch (command.cmd) {
    case 'connect':
      // The C generator takes one source address; run.ts gives each generator its own.
      return `connect ${command.port} ${command.count} ${command.localAddresses[0]} ${command.concurrency} ${Math.round(command.spreadMs ?? 0)}`;
    case 'stall':
      return `stall ${command.fraction}`;
    default:
      return command.cmd;
  }
}
