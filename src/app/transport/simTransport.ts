// `?source=sim`: the wind model of src/sim running in this page, for static hosting and offline
// demos. Labelled "simulation" everywhere so no one mistakes it for real wind.
import type { Station, StrikeMessage } from '../../protocol';
import { createWindField, SIM_STATIONS, type WindControls, type WindField } from '../../sim';
import type { Transport, TransportHealth, TransportOptions, TransportSink, WindSteering } from './types';
import { PLAY_SPEED_LIMITS, readSpeed } from './speedOption';

/** The model is advanced this often; strikes keep their own `t` inside each step. */
export const SIM_TICK_MS = 50;

export class SimTransport implements Transport, WindSteering {
  readonly label = 'simulation';
  readonly replay = null;
  /** The simulation is its own wind: the artist steers it directly. */
  readonly wind: WindSteering = this;
  private timer: ReturnType<typeof setInterval> | undefined;
  private seq = 0;
  private field: WindField | null = null;

  constructor(private readonly seed: number, private readonly timeScale = 1) {}

  static fromOptions(options: TransportOptions): SimTransport {
    const seed = Number(options.get('seed'));
    return new SimTransport(
      Number.isInteger(seed) && seed > 0 ? seed : Math.floor(Math.random() * 2 ** 31),
      readSpeed(options.get('speed'), PLAY_SPEED_LIMITS).speed,
    );
  }

  health(): TransportHealth {
    return { reconnects: 0, seqMissing: 0 };
  }

  start(sink: TransportSink): void {
    const now = Date.now();
    const field = createWindField({ seed: this.seed, stations: SIM_STATIONS, startMs: now, timeScale: this.timeScale });
    this.field = field;
    const stations: Station[] = SIM_STATIONS.map(({ id, name, lat, lon, chimes }) => ({ id, name, lat, lon, chimes, online: true, lastSeen: now }));
    sink.start({ stations, viewers: 1, sourceNow: now });
    sink.status({ state: 'live' });
    this.timer = setInterval(() => {
      for (const strike of field.advance(Date.now())) {
        const message: StrikeMessage = { type: 'strike', seq: ++this.seq, station: strike.station, chime: strike.chime, v: strike.v, t: strike.t };
        sink.strike(message);
      }
    }, SIM_TICK_MS);
  }

  /** The wind the artist panel steers (storm, calm, stations on/off); null before start(). */
  get controls(): WindControls | null {
    return this.field?.controls ?? null;
  }

  setControls(controls: Partial<WindControls>): void {
    this.field?.setControls(controls);
  }

  stop(): void {
    clearInterval(this.timer);
    this.field = null;
  }
}
