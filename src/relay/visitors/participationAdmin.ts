// GET/PUT /api/admin/participation: the operators' global kill switch for visitors' touches. The
// admin routes authenticate and read the body; this answers. Takes effect at once (Participation).
import type { Participation } from './participation';

export interface AdminAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export function participationAdmin(participation: Participation, method: string, readBody: () => Promise<unknown>): Promise<AdminAnswer> | AdminAnswer {
  const state = () => {
    const { enabled, stations } = participation.message();
    return { enabled, stations };
  };
  if (method === 'GET') return { status: 200, body: state() };
  if (method !== 'PUT') return { status: 405, body: { error: 'use GET or PUT' }, headers: { Allow: 'GET, PUT' } };
  return readBody().then((body) => {
    const keys = typeof body === 'object' && body !== null && !Array.isArray(body) ? Object.keys(body) : undefined;
    const enabled = (body as { enabled?: unknown } | null)?.enabled;
    if (!keys || typeof enabled !== 'boolean' || keys.length !== 1) return { status: 400, body: { error: 'enabled: send {"enabled": true} or {"enabled": false}' } };
    participation.setEnabled(enabled);
    return { status: 200, body: state() };
  });
}
