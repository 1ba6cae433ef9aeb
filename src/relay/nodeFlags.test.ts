// Every way the relay is launched passes the node flags it needs (nodeFlags.ts says why), and this
// node accepts them: a flag V8 dropped would stop the relay from starting at all.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RELAY_FROM_SOURCE_ARGS, RELAY_NODE_FLAGS, missingRelayNodeFlags } from './nodeFlags';

/** The flags on the `node` command line that runs `entry`, from a launcher's text. */
function flagsBefore(entry: string, launcher: string): string[] {
  const escaped = entry.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const match = new RegExp(`node((?: --\\S+)*)(?: --import tsx)? ${escaped}`).exec(launcher);
  if (!match) throw new Error(`no node command running ${entry} in:\n${launcher}`);
  return match[1]!.trim().split(/\s+/).filter(Boolean);
}

describe('relay node flags', () => {
  it('every launcher passes them: npm start, npm run relay, the systemd unit, the container', () => {
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    const launchers = {
      'npm start': flagsBefore('src/relay/main.ts', scripts.start!),
      'npm run relay': flagsBefore('src/relay/main.ts', scripts.relay!),
      'systemd unit': flagsBefore('src/relay/main.ts', readFileSync('deploy/systemd/aeolian-relay.service', 'utf8')),
      'container entrypoint': flagsBefore('/app/relay/main.mjs', readFileSync('deploy/container/entrypoint.sh', 'utf8')),
    };
    for (const [launcher, flags] of Object.entries(launchers)) {
      expect(missingRelayNodeFlags(flags), launcher).toEqual([]);
    }
  });

  it('the relay run from source gets them ahead of its entry point', () => {
    expect(RELAY_FROM_SOURCE_ARGS.slice(0, RELAY_NODE_FLAGS.length)).toEqual(RELAY_NODE_FLAGS);
    expect(RELAY_FROM_SOURCE_ARGS.at(-1)).toBe('src/relay/main.ts');
  });

  it('this node accepts every one of them', () => {
    const run = spawnSync(process.execPath, [...RELAY_NODE_FLAGS, '-e', 'process.exit(0)'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('names the flags a process was started without', () => {
    expect(missingRelayNodeFlags(['--import', 'tsx'])).toEqual([...RELAY_NODE_FLAGS]);
    expect(missingRelayNodeFlags([...RELAY_NODE_FLAGS, '--import', 'tsx'])).toEqual([]);
  });
});
