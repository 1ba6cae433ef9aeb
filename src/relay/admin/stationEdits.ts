// Creating and changing stations, the same for the admin API and the CLI: edits are validated with
// the stations-file schema, and a new or rotated token is made here, returned once, stored as hash.
import { describeIssues, stationConfigSchema, type StationConfig } from '../../protocol';
import { newDeviceToken, sha256Hex } from '../stations/tokens';

/** Fields an edit may set. `particleId: null` clears it. */
export interface StationEdit {
  name?: unknown;
  lat?: unknown;
  lon?: unknown;
  chimes?: unknown;
  muted?: unknown;
  particleId?: unknown;
  participation?: unknown;
}

const EDITABLE = ['name', 'lat', 'lon', 'chimes', 'muted', 'particleId', 'participation'] as const;

export type EditResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** A new station from `{id, name, lat, lon, chimes, muted?, particleId?}`, with a fresh device token. */
export function createStation(
  body: unknown,
  existing: readonly StationConfig[],
): EditResult<{ config: StationConfig; token: string }> {
  if (!isObject(body)) return { ok: false, error: 'body: must be a JSON object' };
  const unknownField = Object.keys(body).find((key) => key !== 'id' && !(EDITABLE as readonly string[]).includes(key));
  if (unknownField) return { ok: false, error: `${unknownField}: not a field you can set` };
  const token = newDeviceToken();
  const candidate: Record<string, unknown> = { ...body, tokenSha256: sha256Hex(token) };
  if (candidate.particleId === null) delete candidate.particleId;
  const checked = check(candidate, existing, undefined);
  return checked.ok ? { ok: true, value: { config: checked.value, token } } : checked;
}

/** `config` with the edit applied. */
export function updateStation(config: StationConfig, body: unknown, existing: readonly StationConfig[]): EditResult<StationConfig> {
  if (!isObject(body)) return { ok: false, error: 'body: must be a JSON object' };
  const unknownField = Object.keys(body).find((key) => !(EDITABLE as readonly string[]).includes(key));
  if (unknownField) return { ok: false, error: `${unknownField}: not a field you can set` };
  const candidate: Record<string, unknown> = { ...config, ...body };
  if (candidate.particleId === null) delete candidate.particleId;
  if (candidate.muted === false) delete candidate.muted;
  if (candidate.participation === true) delete candidate.participation; // the default
  return check(candidate, existing, config.id);
}

/** `config` with a fresh token; the token is returned once and only its hash is kept. */
export function rotateToken(config: StationConfig): { config: StationConfig; token: string } {
  const token = newDeviceToken();
  return { config: { ...config, tokenSha256: sha256Hex(token) }, token };
}

function check(candidate: object, existing: readonly StationConfig[], selfId: string | undefined): EditResult<StationConfig> {
  const result = stationConfigSchema.safeParse(candidate);
  if (!result.success) return { ok: false, error: describeIssues(result.error) };
  const config = result.data;
  const others = existing.filter((station) => station.id !== selfId);
  if (selfId === undefined && existing.some((station) => station.id === config.id)) {
    return { ok: false, error: `id: a station "${config.id}" already exists` };
  }
  if (config.particleId && others.some((station) => station.particleId === config.particleId)) {
    return { ok: false, error: 'particleId: another station already has this device' };
  }
  return { ok: true, value: config };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
