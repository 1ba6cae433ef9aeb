// deploy/systemd/aeolian-relay.service: systemd finds nothing wrong with it, its exposure score stays
// low, and what it tells the relay agrees with the relay's config and with deploy/Caddyfile.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/relay/config';

const UNIT_PATH = 'deploy/systemd/aeolian-relay.service';
const CHECK_SCRIPT = 'deploy/systemd/check-unit.sh';

/** Every `Key=value` of one section, in order (systemd allows a key more than once). */
function unitSettings(text: string, section: string): [string, string][] {
  const settings: [string, string][] = [];
  let current = '';
  for (const line of text.split('\n')) {
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) current = header[1]!;
    else if (current === section && /^\w+=/.test(line)) {
      const at = line.indexOf('=');
      settings.push([line.slice(0, at), line.slice(at + 1)]);
    }
  }
  return settings;
}

const unitText = readFileSync(UNIT_PATH, 'utf8');
const service = unitSettings(unitText, 'Service');
const setting = (key: string) => service.filter(([name]) => name === key).map(([, value]) => value);
const environment = Object.fromEntries(setting('Environment').flatMap((line) => line.split(/\s+/).map((pair) => pair.split('=', 2) as [string, string])));

const hasSystemdAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;
if (!hasSystemdAnalyze) console.warn('test/deploy/systemdUnit.test.ts: systemd-analyze is missing (apt-get install -y systemd); only the config checks run');

function checkUnit(path: string) {
  const result = spawnSync('bash', [CHECK_SCRIPT, path], { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe.skipIf(!hasSystemdAnalyze)('deploy/systemd/check-unit.sh', () => {
  it.each(['aeolian-relay.service', 'aeolian-backup.service'])('passes the shipped %s: no verify findings, exposure at most 1.5', (unit) => {
    const { status, output } = checkUnit(`deploy/systemd/${unit}`);
    expect(output).toContain('verify: no findings');
    expect(status, output).toBe(0);
    const exposure = Number(new RegExp(`Overall exposure level for ${unit.replace('.', '\\.')}: ([\\d.]+)`).exec(output)?.[1]);
    expect(exposure).toBeLessThanOrEqual(1.5);
  });

  it('finds nothing wrong with the backup timer', () => {
    const result = spawnSync('systemd-analyze', ['verify', 'deploy/systemd/aeolian-backup.timer'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(`${result.stdout}${result.stderr}`).toBe('');
  });

  it('fails a unit with a typo, and one with the sandbox taken off', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aeolian-unit-'));
    try {
      const typo = join(dir, 'aeolian-relay.service');
      writeFileSync(typo, unitText.replace('ProtectSystem=strict', 'ProtectSytem=strict'));
      expect(checkUnit(typo)).toMatchObject({ status: 1, output: expect.stringContaining("Unknown key 'ProtectSytem'") });
      const open = join(dir, 'open', 'aeolian-relay.service');
      mkdirSync(join(dir, 'open'));
      writeFileSync(open, unitText.replace(/^(PrivateUsers|ProtectSystem|ProtectHome|PrivateDevices|SystemCallFilter)=.*\n/gm, ''));
      expect(checkUnit(open)).toMatchObject({ status: 1, output: expect.stringContaining('exposure above 1.5') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('what the unit tells the relay', () => {
  it('is a valid relay config: loopback, one trusted proxy, no simulator', () => {
    const config = readConfig(environment);
    expect(config).toMatchObject({ host: '127.0.0.1', trustedProxies: 1, trustedProxyAddresses: ['127.0.0.1'], sim: false });
  });

  it('listens where deploy/Caddyfile proxies by default', () => {
    const caddyfile = readFileSync('deploy/Caddyfile', 'utf8');
    const upstream = /reverse_proxy \{\$AEOLIAN_RELAY:([^}]+)\}/.exec(caddyfile)?.[1];
    expect(upstream).toBe(`${environment.HOST}:${environment.PORT}`);
  });

  it('keeps the stations file and the archive in the one writable state folder', () => {
    const [stateDirectory] = setting('StateDirectory');
    expect(setting('ProtectSystem')).toEqual(['strict']);
    expect(setting('ReadWritePaths')).toEqual([]);
    expect(environment.STATIONS).toBe(`/var/lib/${stateDirectory}/stations.json`);
    expect(environment.ARCHIVE_PATH).toBe(`/var/lib/${stateDirectory}/archive`);
  });

  it('runs as its own user and comes back after a crash', () => {
    expect(setting('User')).toEqual(['aeolian']);
    expect(setting('Restart')).toEqual(['on-failure']);
    expect(setting('ExecReload')[0]).toContain('-HUP');
  });
});
