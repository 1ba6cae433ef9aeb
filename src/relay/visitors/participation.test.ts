import { describe, expect, it } from 'vitest';
import type { ParticipationMessage, StationConfig } from '../../protocol';
import { StationRegistry } from '../stations/stationRegistry';
import { Participation } from './participation';

const station = (id: string, extra: Partial<StationConfig> = {}): StationConfig => ({
  id,
  name: id,
  lat: 0,
  lon: 0,
  chimes: 6,
  tokenSha256: id.padEnd(64, '0').replace(/[^0-9a-f]/g, '0'),
  ...extra,
});

describe('Participation', () => {
  it('starts from the flag and the stations file, listing only stations that are off', () => {
    const registry = new StationRegistry([station('oslo'), station('lima', { participation: false })]);
    const participation = new Participation(registry, false);
    expect(participation.message()).toEqual({ type: 'participation', enabled: false, stations: { lima: false } });
    expect(participation.allowsStation(registry.get('oslo')!)).toBe(true);
    expect(participation.allowsStation(registry.get('lima')!)).toBe(false);
    participation.dispose();
  });

  it('announces the global switch and station edits when they change, and nothing else', () => {
    const registry = new StationRegistry([station('oslo')]);
    const participation = new Participation(registry);
    const heard: ParticipationMessage[] = [];
    participation.onChange((message) => heard.push(message));
    participation.setEnabled(true);
    registry.setOnline(registry.get('oslo')!, true, 1);
    registry.upsert(station('oslo', { name: 'Oslo' }));
    expect(heard).toEqual([]);
    participation.setEnabled(false);
    registry.upsert(station('oslo', { participation: false }));
    registry.remove('oslo');
    expect(heard).toEqual([
      { type: 'participation', enabled: false, stations: {} },
      { type: 'participation', enabled: false, stations: { oslo: false } },
      { type: 'participation', enabled: false, stations: {} },
    ]);
    participation.dispose();
  });
});
