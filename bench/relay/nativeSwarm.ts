// The C viewer generator (viewerSwarm.c) behind the same face as a forked viewerSwarm.ts: commands
// in, 'message' events out. Built with gcc once per bench process, into a temp folder removed on exit.
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';
import { buildC } from './buildC';
import type { SwarmCommand } from './viewerSwarm';

let builtBinary: string | undefined;

/** Builds viewerSwarm.c once per bench process (with liburing where it is installed: what `--io-uring` needs). */
function nativeSwarmBinary(): string {
  if (builtBinary) return builtBinary;
  const built = buildC('viewerSwarm.c', 'SWARM_IO_URING');
  process.once('exit', built.dispose);
  builtBinary = built.binary;
  return builtBinary;
}

/** The command as viewerSwarm.c reads it: one line of words. */
function commandLine(command: SwarmCommand): string {
  switch (command.cmd) {
    case 'connect':
      return `connect ${command.port} ${command.count} ${command.concurrency} ${command.spreadMs ?? 0} ${command.localAddresses.join(' ')}`;
    case 'stall':
      return `stall ${command.fraction}`;
    default:
      return command.cmd;
  }
}

export class NativeSwarm extends EventEmitter {
  private readonly child: ChildProcess;

  /** `receives`: through io_uring (falling back to read(2) where it cannot), or read(2) per ready socket. */
  constructor(receives: 'io_uring' | 'read') {
    super();
    // stdin is its command pipe: when the bench exits, the generator reads end-of-file and exits.
    this.child = spawn(nativeSwarmBinary(), receives === 'io_uring' ? ['--io-uring'] : [], { stdio: ['pipe', 'pipe', 'inherit'] });
    createInterface({ input: this.child.stdout! }).on('line', (line) => this.emit('message', JSON.parse(line)));
    this.child.stdin!.on('error', () => undefined);
    this.child.once('exit', (code) => this.emit('exit', code));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get connected(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  send(command: SwarmCommand): boolean {
    return this.child.stdin!.write(`${commandLine(command)}\n`);
  }

  kill(signal?: NodeJS.Signals): boolean {
    return this.child.kill(signal);
  }
}
