// deploy/backup.sh: one tarball holds the stations file and the archive and restores them as they
// were; old tarballs go, latest.tar.gz follows the newest, and a missing archive is no error.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const BACKUP_SCRIPT = 'deploy/backup.sh';
const DAY_MS = 24 * 60 * 60 * 1000;

let dir: string;
let stateDir: string;
let backupDir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'aeolian-backup-'));
  stateDir = join(dir, 'state');
  backupDir = join(dir, 'backups');
  mkdirSync(stateDir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function backup(env: Record<string, string> = {}) {
  const result = spawnSync('bash', [BACKUP_SCRIPT], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, STATE_DIR: stateDir, BACKUP_DIR: backupDir, ...env },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function restore(tarball: string): string {
  const into = join(dir, `restored-${readdirSync(dir).length}`);
  mkdirSync(into);
  const result = spawnSync('tar', ['-C', into, '-xzf', tarball], { encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return into;
}

describe('deploy/backup.sh', () => {
  it('restores the stations file and every archive hour as they were', () => {
    const stations = '[{"id":"lima","name":"Lima","lat":-12.05,"lon":-77.04,"chimes":6,"tokenSha256":"ab"}]\n';
    const hour = '{"type":"strike","seq":1,"station":"lima","chime":3,"v":1,"t":1796025600000}\n';
    writeFileSync(join(stateDir, 'stations.json'), stations);
    mkdirSync(join(stateDir, 'archive', '2026-11-30'), { recursive: true });
    writeFileSync(join(stateDir, 'archive', '2026-11-30', '08.ndjson'), hour);
    writeFileSync(join(stateDir, 'archive', 'state.json'), '{"epoch":"e1"}');

    const { status, output } = backup();
    expect(status, output).toBe(0);
    const restored = restore(join(backupDir, 'latest.tar.gz'));
    expect(readFileSync(join(restored, 'stations.json'), 'utf8')).toBe(stations);
    expect(readFileSync(join(restored, 'archive', '2026-11-30', '08.ndjson'), 'utf8')).toBe(hour);
    expect(readFileSync(join(restored, 'archive', 'state.json'), 'utf8')).toBe('{"epoch":"e1"}');
  });

  it('keeps new tarballs, deletes those past BACKUP_KEEP_DAYS, and points latest.tar.gz at the newest', () => {
    writeFileSync(join(stateDir, 'stations.json'), '[]\n');
    mkdirSync(backupDir);
    const old = join(backupDir, 'aeolian-2026-01-01T000000Z.tar.gz');
    const recent = join(backupDir, 'aeolian-2026-11-29T000000Z.tar.gz');
    for (const [path, ageDays] of [[old, 20], [recent, 2]] as const) {
      writeFileSync(path, 'x');
      const at = new Date(Date.now() - ageDays * DAY_MS);
      utimesSync(path, at, at);
    }
    const { status, output } = backup({ BACKUP_KEEP_DAYS: '14' });
    expect(status, output).toBe(0);
    const newest = /backup: (.+\.tar\.gz)/.exec(output)![1]!;
    expect(existsSync(old)).toBe(false);
    expect(existsSync(recent)).toBe(true);
    expect(existsSync(newest)).toBe(true);
    expect(join(backupDir, readlinkSync(join(backupDir, 'latest.tar.gz')))).toBe(newest);
    expect(readdirSync(backupDir).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });

  it('backs up the stations file alone when there is no archive, and fails on an empty state folder', () => {
    writeFileSync(join(stateDir, 'stations.json'), '[]\n');
    expect(backup().status).toBe(0);
    expect(readdirSync(restore(join(backupDir, 'latest.tar.gz')))).toEqual(['stations.json']);

    rmSync(join(stateDir, 'stations.json'));
    expect(backup()).toMatchObject({ status: 1, output: expect.stringContaining('nothing to back up') });
  });
});
