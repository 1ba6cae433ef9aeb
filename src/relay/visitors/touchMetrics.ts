// The visitors' figures on /metrics: touches accepted, refused by reason, held by which limit, rings
// sent and refused. Read from the gateways' plain counters at scrape time, like the relay's others.
import { Counter, Gauge, type Registry } from 'prom-client';
import { TOUCH_REFUSAL_REASONS } from '../../protocol';
import type { StrikerForwarder } from './strikerForwarder';
import { RING_REFUSAL_REASONS } from './strikerGate';
import type { TouchGateway } from './touchGateway';
import { TOUCH_LIMITS } from './touchLimits';

export function registerVisitorMetrics(registry: Registry, touches: TouchGateway, striker: StrikerForwarder): void {
  const registers = [registry];
  const counter = (name: string, help: string, read: () => number) =>
    new Counter({ name, help, registers, collect: function (this: Counter) { this.reset(); this.inc(read()); } });
  const labelled = <L extends string>(name: string, help: string, label: string, values: readonly L[], read: (value: L) => number) =>
    new Counter({
      name,
      help,
      labelNames: [label],
      registers,
      collect: function (this: Counter) {
        this.reset();
        for (const value of values) this.inc({ [label]: value }, read(value));
      },
    });
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({ name, help, registers, collect: function (this: Gauge) { this.set(read()); } });

  counter('aeolian_touches_accepted_total', 'Visitors\' touches accepted (and broadcast).', () => touches.stats.accepted);
  labelled('aeolian_touches_refused_total', 'Visitors\' touches refused, by the reason sent.', 'reason', TOUCH_REFUSAL_REASONS, (reason) => touches.stats.refused[reason]);
  labelled('aeolian_touches_limited_total', 'Touches refused slow_down, by the limit that held them.', 'limit', TOUCH_LIMITS, (limit) => touches.stats.limited[limit]);
  counter('aeolian_touch_origin_refusals_total', '/touch upgrades refused with 403 (origin not allowed).', () => touches.stats.originRefusals);
  counter('aeolian_touch_address_refusals_total', '/touch upgrades refused with 429 (too many sockets from one address).', () => touches.stats.addressConnectionRefusals);
  gauge('aeolian_touch_connections', 'Sockets connected to /touch.', () => touches.connectedCount);
  gauge('aeolian_visitors', 'Addresses with a touch accepted in the last minute.', () => touches.presence.count(Date.now()));
  counter('aeolian_rings_sent_total', 'Ring commands sent to devices with a striker.', () => striker.stats.sent);
  labelled('aeolian_rings_refused_total', 'Touches on a striker station that rang nothing, by reason.', 'reason', RING_REFUSAL_REASONS, (reason) => striker.stats.refused[reason]);
}
