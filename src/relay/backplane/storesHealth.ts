// What /healthz adds for the backplane and the archive: a relay cut off from Redis stays up and
// says `"status":"degraded"` with how much it is holding; so does an archive whose writes fail.
import type { StrikeArchive } from '../archive/archive';
import type { Backplane, BackplaneHealth } from './backplane';

export interface StoresHealth {
  status?: 'degraded';
  redis?: BackplaneHealth;
  archive?: { strikesRecorded: number; strikesLost: number; pendingBytes: number; writeFailing: boolean; lastWriteError?: string };
}

export function storesHealth(backplane: Backplane | undefined, archive: StrikeArchive | undefined): StoresHealth {
  const health: StoresHealth = {};
  if (backplane) {
    health.redis = backplane.health();
    if (!health.redis.connected || health.redis.epochMismatch) health.status = 'degraded';
  }
  if (archive) {
    const failing = archive.lastWriteError !== undefined;
    health.archive = {
      strikesRecorded: archive.stats.strikesRecorded,
      strikesLost: archive.stats.strikesLost,
      pendingBytes: archive.pendingStrikeBytes,
      writeFailing: failing,
      ...(failing ? { lastWriteError: archive.lastWriteError } : {}),
    };
    // Strikes are being lost while the last flush failed: say so until one succeeds.
    if (failing) health.status = 'degraded';
  }
  return health;
}
