// Rings real chimes for visitors: every touch the hub delivers (this relay's own or, with a
// backplane, another relay's) is offered to the station's device if this relay holds its link and
// the StrikerGate allows it. The firmware checks its own limits again.
import type { RingCommand, StrikerLimits, TouchMessage } from '../../protocol';
import type { StrikeHub } from '../hub';
import type { StationRegistry } from '../stations/stationRegistry';
import { RING_REFUSAL_REASONS, StrikerGate, type RingRefusalReason } from './strikerGate';

/** What the forwarder needs of the device gateway. */
export interface StrikerDevices {
  isConnected(stationId: string): boolean;
  /** The striker the station's connected device declared (capabilities), if any. */
  strikerOf(stationId: string): StrikerLimits | undefined;
  sendRing(stationId: string, ring: RingCommand): boolean;
}

export class StrikerForwarder {
  private readonly gate = new StrikerGate();
  private readonly stopListening: () => void;
  readonly stats = {
    sent: 0,
    refused: Object.fromEntries(RING_REFUSAL_REASONS.map((reason) => [reason, 0])) as Record<RingRefusalReason, number>,
  };

  constructor(
    private readonly registry: StationRegistry,
    hub: Pick<StrikeHub, 'onTouch'>,
    private readonly devices: StrikerDevices,
    private readonly now: () => number = Date.now,
  ) {
    this.stopListening = hub.onTouch((touch) => this.offer(touch));
  }

  dispose(): void {
    this.stopListening();
  }

  private offer(touch: TouchMessage): void {
    const configured = this.registry.get(touch.station)?.config.striker;
    // No striker in the stations file, or the device is on another relay (which rings it): not ours.
    if (!configured || !this.devices.isConnected(touch.station)) return;
    const verdict = this.gate.decide(touch.station, configured, this.devices.strikerOf(touch.station), touch.chime, touch.t, this.now());
    if (!verdict.ring) {
      this.stats.refused[verdict.reason]++;
      return;
    }
    if (this.devices.sendRing(touch.station, { type: 'ring', chime: touch.chime, v: touch.v, id: touch.seq })) this.stats.sent++;
  }
}
