import { describe, expect, it } from 'vitest';
import { DEVICE_STATUS_MIN_INTERVAL_MS, type DeviceStatus, type StationConfig } from '../../protocol';
import { StationRegistry, type StationChange } from './stationRegistry';
import { sha256Hex } from './tokens';

const oslo: StationConfig = { id: 'oslo', name: 'Oslo', lat: 59.91, lon: 10.75, chimes: 5, tokenSha256: sha256Hex('token-oslo') };

/** A registry holding Oslo, and the changes it announces from then on, as `kind id` lines. */
function watched(): { registry: StationRegistry; heard: string[] } {
  const registry = new StationRegistry([oslo]);
  const heard: string[] = [];
  registry.onChange((change: StationChange) => {
    const extra = change.kind === 'updated' ? ` tokenChanged=${change.tokenChanged}` : '';
    heard.push(`${change.kind} ${change.station.config.id} online=${change.station.online}${extra}`);
  });
  return { registry, heard };
}

describe('StationRegistry', () => {
  it('announces stations added and updated, saying when the device token changed', () => {
    const { registry, heard } = watched();
    registry.upsert({ ...oslo, id: 'bergen', tokenSha256: sha256Hex('token-bergen') });
    registry.upsert({ ...oslo, name: 'Oslo harbour' });
    registry.upsert({ ...oslo, name: 'Oslo harbour', tokenSha256: sha256Hex('token-oslo-2') });
    expect(heard).toEqual(['added bergen online=false', 'updated oslo online=false tokenChanged=false', 'updated oslo online=false tokenChanged=true']);
  });

  it('updates a station in place, so holders of its state see the new config', () => {
    const { registry } = watched();
    const held = registry.get('oslo')!;
    registry.upsert({ ...oslo, muted: true });
    expect(held.config.muted).toBe(true);
    expect(registry.get('oslo')).toBe(held);
  });

  it('announces online and offline only when they flip; lastSeen is stamped either way', () => {
    const { registry, heard } = watched();
    const station = registry.get('oslo')!;
    registry.setOnline(station, true, 1_000);
    registry.setOnline(station, true, 2_000);
    expect(station.lastSeen).toBe(2_000);
    registry.setOnline(station, false);
    registry.setOnline(station, false);
    expect(heard).toEqual(['online oslo online=true', 'offline oslo online=false']);
    expect(station.lastSeen).toBe(2_000);
  });

  it('announces a removed station offline, and forgets it', () => {
    const { registry, heard } = watched();
    const station = registry.get('oslo')!;
    registry.setOnline(station, true, 1_000);
    expect(registry.remove('oslo')).toBe(true);
    expect(registry.remove('oslo')).toBe(false);
    expect(registry.get('oslo')).toBeUndefined();
    expect(heard).toEqual(['online oslo online=true', 'removed oslo online=false']);
  });

  it('ignores a late online/offline for a station already removed (or replaced under its id)', () => {
    const { registry, heard } = watched();
    const old = registry.get('oslo')!;
    registry.remove('oslo');
    registry.setOnline(old, true, 5_000);
    registry.upsert(oslo);
    registry.setOnline(old, false);
    expect(heard).toEqual(['removed oslo online=false', 'added oslo online=false']);
    expect(registry.get('oslo')!.lastSeen).toBeNull();
  });

  it('stations given at construction are there without announcement; a listener can stop listening', () => {
    const registry = new StationRegistry([oslo]);
    const heard: string[] = [];
    const stop = registry.onChange((change) => heard.push(change.kind));
    expect(registry.publicList().map((s) => s.id)).toEqual(['oslo']);
    stop();
    registry.remove('oslo');
    expect(heard).toEqual([]);
  });

  it('keeps one device status per interval, unannounced and never public; removal forgets it', () => {
    const { registry, heard } = watched();
    const station = registry.get('oslo')!;
    const status = (uptimeS: number): DeviceStatus => ({ type: 'status', firmware: '0.1.0', uptimeS, rssiDbm: -61, reconnects: 2, strikesDropped: 0 });
    expect(registry.recordStatus(station, status(10), 1_000)).toBe(true);
    expect(registry.recordStatus(station, status(15), 1_000 + DEVICE_STATUS_MIN_INTERVAL_MS - 1)).toBe(false);
    expect(station.deviceStatus).toEqual({ firmware: '0.1.0', uptimeS: 10, rssiDbm: -61, reconnects: 2, strikesDropped: 0, receivedAt: 1_000 });
    expect(registry.recordStatus(station, { ...status(20), rssiDbm: undefined }, 1_000 + DEVICE_STATUS_MIN_INTERVAL_MS)).toBe(true);
    expect(station.deviceStatus).not.toHaveProperty('rssiDbm');
    expect(station.deviceStatus!.uptimeS).toBe(20);
    expect(JSON.stringify(registry.publicList())).not.toMatch(/status|firmware|uptime/i);
    expect(heard).toEqual([]);

    registry.remove('oslo');
    expect(station.deviceStatus).toBeNull();
    expect(registry.recordStatus(station, status(30), 60_000)).toBe(false); // its link, not yet closed
    expect(station.deviceStatus).toBeNull();
    expect(registry.upsert(oslo).deviceStatus).toBeNull();
  });

  it('finds a station by its device token, and lists only public fields', () => {
    const { registry } = watched();
    expect(registry.findByToken('token-oslo')?.config.id).toBe('oslo');
    expect(registry.findByToken('token-nobody')).toBeUndefined();
    expect(registry.publicList()).toEqual([{ id: 'oslo', name: 'Oslo', lat: 59.91, lon: 10.75, chimes: 5, online: false, lastSeen: null }]);
  });
});
