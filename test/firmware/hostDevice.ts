// Drives firmware's linkHost program (the core's direct link on POSIX sockets): a script of contact
// closures in, its events (link changes, debounced strikes, outbox size) out as JSON lines.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface Closure {
  /** Milliseconds after the program starts. */
  atMs: number;
  contact: number;
}

export interface HostEvent {
  event: string;
  detail?: number;
  atMs?: number;
  chime?: number;
  pending?: number;
  idle?: boolean;
  [key: string]: unknown;
}

export interface HostDeviceOptions {
  port: number;
  token: string;
  script: readonly Closure[];
  /** Extra command-line options, e.g. ['--lockout-ms', '60']. */
  args?: string[];
}

const EXIT_TIMEOUT_MS = 5_000;

export class HostDevice {
  readonly events: HostEvent[] = [];
  private readonly child: ChildProcess;
  private stderr = '';
  private readonly exited: Promise<number | null>;
  private readonly waiters = new Set<() => void>();

  constructor(buildDir: string, options: HostDeviceOptions) {
    const args = ['--host', '127.0.0.1', '--port', String(options.port), '--token', options.token, ...(options.args ?? [])];
    this.child = spawn(join(buildDir, 'host/linkHost'), args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let partial = '';
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop()!;
      for (const line of lines) this.events.push(JSON.parse(line) as HostEvent);
      for (const wake of this.waiters) wake();
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
    this.child.stdin!.end(options.script.map((c) => `${c.atMs} ${c.contact}\n`).join(''));
  }

  /** Strikes the device took (after debounce), in order. */
  strikes(): { chime: number; atMs: number }[] {
    return this.events.filter((e) => e.event === 'strike').map((e) => ({ chime: e.chime!, atMs: e.atMs! }));
  }

  count(event: string): number {
    return this.events.filter((e) => e.event === event).length;
  }

  /** Waits until `predicate` holds for the events so far (checked on every new line). */
  waitFor(predicate: (events: HostEvent[]) => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate(this.events)) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last events: ${JSON.stringify(this.events.slice(-8))}; stderr: ${this.stderr.slice(-500)}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /** Waits until every scripted strike is struck and acknowledged by the relay. */
  waitIdle(timeoutMs: number, what = 'every strike acknowledged'): Promise<void> {
    return this.waitFor((events) => events.at(-1)?.event === 'pending' && events.at(-1)?.idle === true, timeoutMs, what);
  }

  /** SIGTERM; resolves with the final counts. Throws if it did not exit cleanly (sanitizers exit non-zero). */
  async stop(): Promise<HostEvent> {
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), EXIT_TIMEOUT_MS);
    const code = await this.exited;
    clearTimeout(timer);
    if (code !== 0) throw new Error(`linkHost exited with ${code}: ${this.stderr.slice(-2000)}`);
    const stats = this.events.findLast((e) => e.event === 'stats');
    if (!stats) throw new Error('linkHost printed no stats');
    return stats;
  }

  /** For cleanup after a failure: never leaves a process behind. */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}
