// The C sweep floor (sweepFloor.c): built with gcc into the temp folder once per bench run, then
// started per measurement. The bench feeds it the strikes the relay would broadcast, on a plain
// TCP socket, on the same device timers as the relay's devices.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { driveStrikes } from './benchDevices';

/** Compiles the floor with `gcc -O2` into a fresh temp folder; `dispose()` removes it. */
export function buildSweepFloor(): { binary: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'aeolian-sweep-floor-'));
  const binary = join(dir, 'sweepFloor');
  const source = new URL('./sweepFloor.c', import.meta.url).pathname;
  execFileSync('gcc', ['-O2', '-Wall', '-o', binary, source], { stdio: 'inherit' });
  return { binary, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export class SweepFloor {
  private seq = 0;

  private constructor(
    private readonly child: ChildProcess,
    /** Where viewers connect (any path upgrades). */
    readonly port: number,
    private readonly strikes: net.Socket,
  ) {}

  static async start(binary: string): Promise<SweepFloor> {
    const child = spawn(binary, [], { stdio: ['ignore', 'pipe', 'inherit'] });
    const ready = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('\n')) resolve(text);
      });
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
