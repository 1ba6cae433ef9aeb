// The C sweep floor (sweepFloor.c): built with gcc into the temp folder once per bench run, then
// started per measurement. The bench feeds it the strikes the relay would broadcast, on a plain
// TCP socket, on the same device timers as the relay's devices.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { driveStrikes } from './benchDevices';
import { buildC, type BuiltC } from './buildC';

/**
 * The floor's sweep: write(2) per viewer, as the issue defines it (the goal's floor), or a chunk's
 * sends in one io_uring submission, as the relay's native sweep makes them (BENCH_FLOOR_IO_URING=1).
 */
export type FloorWrites = 'write' | 'io_uring';
export const FLOOR_WRITES: FloorWrites = process.env.BENCH_FLOOR_IO_URING === '1' ? 'io_uring' : 'write';

/**
 * Compiles the floor with `gcc -O2` into a fresh temp folder, with liburing where it is installed
 * (what `--io-uring` needs); `dispose()` removes it.
 */
export function buildSweepFloor(): BuiltC {
  const built = buildC('sweepFloor.c', 'FLOOR_IO_URING');
  if (FLOOR_WRITES === 'io_uring' && !built.withLiburing) {
    built.dispose();
    throw new Error('BENCH_FLOOR_IO_URING=1 needs liburing (apt-get install liburing-dev)');
  }
  return built;
}

export class SweepFloor {
  private seq = 0;
  /** Answers to "?" (sends submitted through io_uring so far), in the order asked. */
  private readonly countWaiters: ((count: number) => void)[] = [];

  private constructor(
    private readonly child: ChildProcess,
    /** Where viewers connect (any path upgrades). */
    readonly port: number,
    private readonly strikes: net.Socket,
  ) {
    createInterface({ input: strikes }).on('line', (line) => this.countWaiters.shift()?.(Number(line)));
  }

  static async start(binary: string, writes: FloorWrites = FLOOR_WRITES): Promise<SweepFloor> {
    const child = spawn(binary, writes === 'io_uring' ? ['--io-uring'] : [], { stdio: ['ignore', 'pipe', 'inherit'] });
    const ready = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`sweep floor exited (${code}) before READY`)));
    });
    const [, viewerPort, strikePort] = ready.trim().split(' ').map(Number);
    const strikes = net.connect(strikePort!, '127.0.0.1');
    strikes.setNoDelay(true);
    await new Promise((resolve, reject) => strikes.once('connect', resolve).once('error', reject));
    return new SweepFloor(child, viewerPort!, strikes);
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Sends submitted through io_uring so far (no write syscall each; 0 for the write(2) floor). */
  uncountedWrites(): Promise<number> {
    return new Promise((resolve) => {
      this.countWaiters.push(resolve);
      this.strikes.write('?\n');
    });
  }

  /** Strikes numbered so far (the last seq). */
  get latestSeq(): number {
    return this.seq;
  }

  /** The relay's strike JSON for one device strike, cut before t: the floor stamps t on receipt. */
  private strike(device: number, chime: number): void {
    this.strikes.write(`{"type":"strike","seq":${++this.seq},"station":"bench-${device}","chime":${chime},"v":1,"t":\n`);
  }

  /** `rate` strikes/s for `seconds`, on the same device timers as the relay's bench devices. */
  drive(devices: number, rate: number, seconds: number): Promise<void> {
    return driveStrikes(devices, (device, chime) => this.strike(device, chime), rate, seconds);
  }

  async close(): Promise<void> {
    this.strikes.destroy();
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await Promise.race([exited, sleep(2_000)]);
    this.child.kill('SIGKILL');
  }
}
