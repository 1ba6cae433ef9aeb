// Visitors play (issue 16), composed: the participation switch, the /touch gateway, the striker
// forwarder and their /metrics. server.ts makes one and routes /touch upgrades to it.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Registry } from 'prom-client';
import type { ProxyTrust } from '../http/clientAddress';
import type { StrikeHub } from '../hub';
import type { Logger } from '../log';
import type { StationRegistry } from '../stations/stationRegistry';
import { Participation } from './participation';
import { StrikerForwarder, type StrikerDevices } from './strikerForwarder';
import { TouchGateway } from './touchGateway';
import type { TouchLimitValues } from './touchLimits';
import { registerVisitorMetrics } from './touchMetrics';

export interface VisitorsOptions {
  /** TOUCH_ORIGINS: origins besides the relay's own whose pages may touch. */
  origins?: readonly string[];
  /** PARTICIPATION: whether visitors may play at start (default true). */
  participation?: boolean;
  /** Override limits in tests. */
  limits?: Partial<TouchLimitValues>;
  /** TRUST_PROXY: how a page's address is read (per-address limits). */
  trust?: ProxyTrust;
  pingIntervalMs?: number;
  log: Logger;
}

export class Visitors {
  readonly participation: Participation;
  readonly touches: TouchGateway;
  readonly striker: StrikerForwarder;

  constructor(registry: StationRegistry, hub: StrikeHub, devices: StrikerDevices, metrics: Registry, options: VisitorsOptions) {
    this.participation = new Participation(registry, options.participation ?? true);
    this.touches = new TouchGateway(registry, hub, this.participation, options);
    this.striker = new StrikerForwarder(registry, hub, devices);
    registerVisitorMetrics(metrics, this.touches, this.striker);
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.touches.handleUpgrade(request, socket, head);
  }

  closeAll(code: number, reason: string): void {
    this.touches.closeAll(code, reason);
  }

  terminateAll(): void {
    this.touches.terminateAll();
  }

  dispose(): void {
    this.touches.dispose();
    this.striker.dispose();
    this.participation.dispose();
  }
}
