// May visitors play? The kill switch: one global flag (PARTICIPATION, the admin API) and a per-station
// `participation: false` in the stations file (through the registry, so admin edits and file reloads
// count). Every change is announced at once, so /touch pages hear it and the next touch obeys it.
import type { ParticipationMessage } from '../../protocol';
import type { StationRegistry, StationState } from '../stations/stationRegistry';

export type ParticipationListener = (message: ParticipationMessage) => void;

export class Participation {
  private globalEnabled: boolean;
  private stationsOff: string[];
  private readonly listeners = new Set<ParticipationListener>();
  private readonly stopListening: () => void;

  constructor(
    private readonly registry: StationRegistry,
    enabled = true,
  ) {
    this.globalEnabled = enabled;
    this.stationsOff = this.readStationsOff();
    this.stopListening = registry.onChange((change) => {
      if (change.kind === 'online' || change.kind === 'offline') return;
      const off = this.readStationsOff();
      if (off.join(',') === this.stationsOff.join(',')) return;
      this.stationsOff = off;
      this.announce();
    });
  }

  get enabled(): boolean {
    return this.globalEnabled;
  }

  /** The global switch (admin API); announced when it flips. */
  setEnabled(enabled: boolean): void {
    if (enabled === this.globalEnabled) return;
    this.globalEnabled = enabled;
    this.announce();
  }

  /** Whether this station's operator lets visitors play it (the global switch is asked apart). */
  allowsStation(station: StationState): boolean {
    return station.config.participation !== false;
  }

  message(): ParticipationMessage {
    return { type: 'participation', enabled: this.globalEnabled, stations: Object.fromEntries(this.stationsOff.map((id) => [id, false])) };
  }

  onChange(listener: ParticipationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.stopListening();
    this.listeners.clear();
  }

  private readStationsOff(): string[] {
    return this.registry
      .all()
      .filter((station) => !this.allowsStation(station))
      .map((station) => station.config.id)
      .sort();
  }

  private announce(): void {
    const message = this.message();
    for (const listener of this.listeners) listener(message);
  }
}
