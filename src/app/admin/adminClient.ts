// The admin API from the page: a thin fetch wrapper that carries the token and turns refusals into
// errors with the relay's own message. The token lives in sessionStorage only (gone with the tab).
import type { AdminStation, ReceivedDeviceStatus } from '../../protocol/adminApi';

export const ADMIN_TOKEN_KEY = 'aeolian.adminToken';

export type { AdminStation, ReceivedDeviceStatus };

/** `participation`: whether visitors may play the station's chimes (absent: yes). */
export type StationFields = Pick<AdminStation, 'name' | 'lat' | 'lon' | 'chimes' | 'muted'> & { particleId: string | null; participation?: boolean };

/** Whether visitors may play this station (the relay leaves `participation` out, or false when off). */
export function stationParticipation(station: AdminStation): boolean {
  return (station as AdminStation & { participation?: boolean }).participation !== false;
}

export class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function storedToken(): string | null {
  return sessionStorage.getItem(ADMIN_TOKEN_KEY);
}

export function storeToken(token: string | null): void {
  if (token) sessionStorage.setItem(ADMIN_TOKEN_KEY, token);
  else sessionStorage.removeItem(ADMIN_TOKEN_KEY);
}

async function call<T>(token: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`/api/admin/${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    cache: 'no-store',
  });
  if (response.status === 204) return undefined as T;
  const payload = (await response.json().catch(() => ({}))) as { error?: string };
  if (!response.ok) throw new AdminError(response.status, payload.error ?? `HTTP ${response.status}`);
  return payload as T;
}

export const adminClient = {
  list: (token: string) => call<AdminStation[]>(token, 'GET', 'stations'),
  create: (token: string, fields: StationFields & { id: string }) => call<{ station: AdminStation; token: string }>(token, 'POST', 'stations', fields),
  update: (token: string, id: string, fields: Partial<StationFields>) => call<AdminStation>(token, 'PATCH', `stations/${encodeURIComponent(id)}`, fields),
  remove: (token: string, id: string) => call<void>(token, 'DELETE', `stations/${encodeURIComponent(id)}`),
  rotate: (token: string, id: string) => call<{ token: string }>(token, 'POST', `stations/${encodeURIComponent(id)}/rotate`),
  disconnect: (token: string, id: string) => call<{ disconnected: boolean }>(token, 'POST', `stations/${encodeURIComponent(id)}/disconnect`),
  /** Whether visitors may play at all (every station's own switch applies on top). */
  participation: (token: string) => call<{ enabled: boolean }>(token, 'GET', 'participation'),
  setParticipation: (token: string, enabled: boolean) => call<{ enabled: boolean }>(token, 'PUT', 'participation', { enabled }),
};
