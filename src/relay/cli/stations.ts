// `npm run stations -- list|add|set|rm|rotate ...`: edit the stations file from a shell, with the
// same validation as the admin API and the same atomic write. A running relay watches the file and
// applies each change at once (src/relay/stations/stationsWatcher.ts).
import { parseArgs } from 'node:util';
import { ConfigError } from '../config';
import { createStation, rotateToken, updateStation } from '../admin/stationEdits';
import { StationsFileError, loadStationsFile } from '../stations/stationsFile';
import { writeStationsFileAtomic } from '../stations/stationsStore';

export const USAGE = `usage: npm run stations -- <command> [options]   (file: --file PATH, or $STATIONS, default config/stations.json)
  list                                        stations, one a line
  add <id> --name N --lat LAT --lon LON --chimes K [--particle-id P] [--muted]
                                              prints the new device token once
  set <id> [--name N] [--lat LAT] [--lon LON] [--chimes K] [--particle-id P|none] [--muted|--unmuted]
  rm <id>
  rotate <id>                                 prints the new device token once
  (negative numbers work either way: --lon -77.04 or --lon=-77.04)`;

const OPTIONS = {
  file: { type: 'string' },
  name: { type: 'string' },
  lat: { type: 'string' },
  lon: { type: 'string' },
  chimes: { type: 'string' },
  'particle-id': { type: 'string' },
  muted: { type: 'boolean' },
  unmuted: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * `--lon -77.04` as `--lon=-77.04`: node's parseArgs takes a value starting with "-" for an option
 * (and refuses it as ambiguous), but coordinates west and south of zero are negative.
 */
export function joinNegativeValues(argv: readonly string[]): string[] {
  const stringOptions = new Set(Object.entries(OPTIONS).filter(([, option]) => option.type === 'string').map(([name]) => `--${name}`));
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if (stringOptions.has(arg) && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else joined.push(arg);
  }
  return joined;
}

/** What `list` says of an empty file: the page is not empty then, it shows the simulated stations. */
export function emptyListMessage(path: string): string {
  return `no stations in ${path} yet. Until you add one (npm run stations -- add ...), the page shows simulated stations (npm start runs them, SIM=1).`;
}

export interface CliIo {
  out(line: string): void;
  env: NodeJS.ProcessEnv;
}

/** Runs one command; returns the exit code. Errors are one line a person can act on. */
export function runStationsCli(argv: string[], io: CliIo): number {
  const { values, positionals } = parseArgs({ args: joinNegativeValues(argv), allowPositionals: true, options: OPTIONS });
  const [command, id, ...rest] = positionals;
  if (values.help || !command) {
    io.out(USAGE);
    return command ? 0 : 2;
  }
  if (rest.length > 0) throw new ConfigError(`unexpected argument "${rest[0]}"\n${USAGE}`);
  const path = values.file ?? io.env.STATIONS ?? 'config/stations.json';
  const stations = loadStationsFile(path);
  const fields = {
    ...(values.name !== undefined ? { name: values.name } : {}),
    ...(values.lat !== undefined ? { lat: Number(values.lat) } : {}),
    ...(values.lon !== undefined ? { lon: Number(values.lon) } : {}),
    ...(values.chimes !== undefined ? { chimes: Number(values.chimes) } : {}),
    ...(values['particle-id'] !== undefined ? { particleId: values['particle-id'] === 'none' ? null : values['particle-id'] } : {}),
    ...(values.muted ? { muted: true } : values.unmuted ? { muted: false } : {}),
  };
  const needId = () => {
    if (!id) throw new ConfigError(`${command}: which station? give its id\n${USAGE}`);
    const index = stations.findIndex((station) => station.id === id);
    if (index < 0) throw new ConfigError(`${path}: no station "${id}"`);
    return index;
  };

  switch (command) {
    case 'list':
      if (stations.length === 0) io.out(emptyListMessage(path));
      for (const s of stations) {
        const extra = [s.particleId ? `particle ${s.particleId}` : '', s.muted ? 'MUTED' : ''].filter(Boolean).join(', ');
        io.out(`${s.id}\t${s.name}\t${s.lat},${s.lon}\t${s.chimes} chimes${extra ? `\t${extra}` : ''}`);
      }
      return 0;
    case 'add': {
      if (!id) throw new ConfigError(`add: give the new station's id\n${USAGE}`);
      const created = createStation({ id, ...fields }, stations);
      if (!created.ok) throw new ConfigError(created.error);
      writeStationsFileAtomic(path, [...stations, created.value.config]);
      io.out(`added ${id}; its device token (shown once, only its hash is stored):`);
      io.out(created.value.token);
      return 0;
    }
    case 'set': {
      const index = needId();
      if (Object.keys(fields).length === 0) throw new ConfigError(`set: nothing to change\n${USAGE}`);
      const updated = updateStation(stations[index]!, fields, stations);
      if (!updated.ok) throw new ConfigError(updated.error);
      writeStationsFileAtomic(path, stations.map((s, i) => (i === index ? updated.value : s)));
      io.out(`updated ${id}`);
      return 0;
    }
    case 'rm': {
      const index = needId();
      writeStationsFileAtomic(path, stations.filter((_, i) => i !== index));
      io.out(`removed ${id}`);
      return 0;
    }
    case 'rotate': {
      const index = needId();
      const rotated = rotateToken(stations[index]!);
      writeStationsFileAtomic(path, stations.map((s, i) => (i === index ? rotated.config : s)));
      io.out(`new device token for ${id} (shown once; a running relay takes it at once):`);
      io.out(rotated.token);
      return 0;
    }
    default:
      throw new ConfigError(`unknown command "${command}"\n${USAGE}`);
  }
}

export function main(argv = process.argv.slice(2)): void {
  try {
    process.exitCode = runStationsCli(argv, { out: (line) => console.log(line), env: process.env });
  } catch (error) {
    const known = error instanceof ConfigError || error instanceof StationsFileError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    console.error(`stations: ${known ? (error as Error).message : String(error)}`);
    process.exitCode = known ? 2 : 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
