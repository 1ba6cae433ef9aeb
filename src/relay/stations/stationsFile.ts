// The stations file: a JSON array of StationConfig. A bad file stops start-up with a message that
// names the entry and the field, so the operator can fix it without reading code.
import { readFileSync } from 'node:fs';
import { stationConfigSchema, describeIssues, type StationConfig } from '../../protocol';

export class StationsFileError extends Error {
  override name = 'StationsFileError';
}

export function parseStationsFile(text: string, path: string): StationConfig[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new StationsFileError(`${path}: not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(value)) throw new StationsFileError(`${path}: must be a JSON array of stations`);
  const stations: StationConfig[] = [];
  const ids = new Set<string>();
  const tokens = new Set<string>();
  for (const [index, entry] of value.entries()) {
    const id = typeof entry === 'object' && entry && 'id' in entry ? ` (${JSON.stringify((entry as { id: unknown }).id)})` : '';
    const where = `${path}: entry ${index}${id}`;
    const result = stationConfigSchema.safeParse(entry);
    if (!result.success) throw new StationsFileError(`${where}: ${describeIssues(result.error)}`);
    if (ids.has(result.data.id)) throw new StationsFileError(`${where}: id: duplicate station id`);
    if (tokens.has(result.data.tokenSha256)) throw new StationsFileError(`${where}: tokenSha256: same token as another station`);
    ids.add(result.data.id);
    tokens.add(result.data.tokenSha256);
    stations.push(result.data);
  }
  return stations;
}

export function loadStationsFile(path: string): StationConfig[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new StationsFileError(`${path}: cannot read stations file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parseStationsFile(text, path);
}
