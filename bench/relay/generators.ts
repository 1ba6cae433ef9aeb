// The bench's child processes: the viewer generators (bench/relay/viewerSwarm.c, or its Node twin
// viewerSwarm.ts) and the relay under test, forked with tsx and driven over IPC.
import { fork, type ChildProcess } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import { NativeSwarm } from './nativeSwarm';
import type { SwarmCommand, SwarmConnected } from './viewerSwarm';

/** One generator process per this many viewers (each process also has a descriptor limit). */
export const VIEWERS_PER_GENERATOR = 10_000;
const CONNECT_CONCURRENCY = 256;

/**
 * Which generator holds the viewers: `c` (default; viewerSwarm.c receiving through io_uring, so it
 * stays clear of saturating its core at 10,000 viewers), `c-read` (the same, a read(2) per ready
 * socket; the default from 15:00 to 16:00 on 2026-12-01) or `node` (viewerSwarm.ts, as published
 * before 2026-12-01 15:00: about 8 us of its CPU a read, 90-97 % of its core at 10,000 viewers).
 */
export const GENERATOR = generatorKind(process.env.BENCH_GENERATOR);

function generatorKind(value: string | undefined): 'c' | 'c-read' | 'node' {
  if (value === undefined || value === '') return 'c';
  if (value === 'c' || value === 'c-read' || value === 'node') return value;
  throw new Error(`BENCH_GENERATOR=${value}: expected c, c-read or node`);
}

/** A generator process, either kind: commands in, replies as 'message' events. */
export interface GeneratorProcess extends EventEmitter {
  readonly pid?: number | undefined;
  readonly connected: boolean;
  send(command: SwarmCommand): boolean;
  kill(signal?: NodeJS.Signals): boolean;
}

export function nextMessage<T>(child: EventEmitter, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { type?: string }) => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message as T);
    };
    const onExit = (code: number | null) => reject(new Error(`child exited (${code}) while waiting for ${type}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/**
 * Forks a bench TypeScript file (a path relative to this folder, or a URL); `nodeArgs` go before tsx
 * (e.g. --cpu-prof), `env` is added to this process's environment.
 */
export function forkTs(file: string | URL, nodeArgs: readonly string[] = [], env: Record<string, string> = {}): ChildProcess {
  return fork((typeof file === 'string' ? new URL(file, import.meta.url) : file).pathname, [], {
    execArgv: [...nodeArgs, '--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', process.env.BENCH_CHILD_STDOUT ? 'inherit' : 'ignore', 'inherit', 'ipc'],
  });
}

export class Generators {
  private constructor(readonly children: GeneratorProcess[]) {}

  static start(viewers: number): Generators {
    const start = (): GeneratorProcess => (GENERATOR === 'node' ? forkTs('./viewerSwarm.ts') : new NativeSwarm(GENERATOR === 'c' ? 'io_uring' : 'read'));
    return new Generators(Array.from({ length: Math.ceil(viewers / VIEWERS_PER_GENERATOR) }, start));
  }

  get pids(): number[] {
    return this.children.map((child) => child.pid!);
  }

  async all<T>(command: SwarmCommand, replyType: string): Promise<T[]> {
    return Promise.all(
      this.children.map((child) => {
        const reply = nextMessage<T>(child, replyType);
        child.send(command);
        return reply;
      }),
    );
  }

  async connect(port: number, viewers: number, run: number, spreadMs?: number): Promise<SwarmConnected[]> {
    return Promise.all(
      this.children.map((child, index) => {
        const reply = nextMessage<SwarmConnected>(child, 'connected');
        const count = Math.floor(viewers / this.children.length) + (index < viewers % this.children.length ? 1 : 0);
        // A fresh source address per run and generator: no TIME_WAIT leftovers, 28k ports each.
        const localAddresses = [`127.${1 + (run % 200)}.${index}.${2 + Math.floor(index / 250)}`];
        child.send({ cmd: 'connect', port, count, localAddresses, concurrency: spreadMs ? count : CONNECT_CONCURRENCY, spreadMs } satisfies SwarmCommand);
        return reply;
      }),
    );
  }

  stop(): void {
    for (const child of this.children) if (child.connected) child.send({ cmd: 'exit' } satisfies SwarmCommand);
    setTimeout(() => this.children.forEach((child) => child.kill('SIGKILL')), 2_000).unref();
  }
}
