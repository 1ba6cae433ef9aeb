// Strikes per minute of each station, for device health: samples the registry's counters every
// few seconds and compares with the sample about a minute old.
import type { StationRegistry } from '../stations/stationRegistry';

export const STRIKE_RATE_SAMPLE_MS = 5_000;
export const STRIKE_RATE_WINDOW_MS = 60_000;

interface Sample {
  at: number;
  accepted: Map<string, number>;
}

export class StrikeRateMeter {
  private readonly samples: Sample[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly registry: StationRegistry) {
    this.sample();
    this.timer = setInterval(() => this.sample(), STRIKE_RATE_SAMPLE_MS);
    this.timer.unref();
  }

  /** Accepted strikes per minute over the last minute (or since the relay started). */
  perMinute(stationId: string, now = Date.now()): number {
    const state = this.registry.get(stationId);
    const oldest = this.samples[0];
    if (!state || !oldest || now <= oldest.at) return 0;
    const before = oldest.accepted.get(stationId) ?? 0;
    return Math.round(((state.strikesAccepted - before) * 60_000) / (now - oldest.at));
  }

  dispose(): void {
    clearInterval(this.timer);
  }

  private sample(): void {
    const now = Date.now();
    this.samples.push({ at: now, accepted: new Map(this.registry.all().map((s) => [s.config.id, s.strikesAccepted])) });
    while (this.samples.length > 1 && this.samples[0]!.at < now - STRIKE_RATE_WINDOW_MS) this.samples.shift();
  }
}
