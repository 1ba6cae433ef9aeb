// Simulated chime devices: the pure wind model (src/sim) decides the strikes; here each station
// holds its own websocket to the relay's /device with its own token, exactly like firmware, sends
// compact frames with ages, and reconnects with the protocol's full-jitter backoff.
import WebSocket from 'ws';
import { fullJitterDelayMs, type BackoffRange } from '../../protocol';
import { createWindField, type SimStationSpec, type SimStrike, type WindField } from '../../sim';

export interface SimDeviceOptions {
  /** ws://host:port/device */
  deviceUrl: string;
  stations: readonly { spec: SimStationSpec; token: string }[];
  seed: number;
  timeScale?: number;
  /** Devices batch strikes and send this often, with ages (firmware throttling). */
  sendIntervalMs?: number;
  onEvent?: (event: { type: 'connected' | 'disconnected'; station: string }) => void;
}

export interface SimDevices {
  readonly wind: WindField;
  close(): void;
}

/** A simulated device's reconnect backoff: attempt n waits uniform [0, min(10 s, 0.5 s * 2^n)). */
export const SIM_DEVICE_RECONNECT: BackoffRange = { baseMs: 500, capMs: 10_000 };

export function startSimDevices(options: SimDeviceOptions): SimDevices {
  const wind = createWindField({
    seed: options.seed,
    stations: options.stations.map((s) => s.spec),
    startMs: Date.now(),
    timeScale: options.timeScale ?? 1,
  });
  const sockets = new Map<string, WebSocket>();
  const attempts = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  const connect = (station: { spec: SimStationSpec; token: string }) => {
    if (closed) return;
    const socket = new WebSocket(options.deviceUrl, { headers: { Authorization: `Bearer ${station.token}` } });
    socket.on('open', () => {
      attempts.set(station.spec.id, 0);
      sockets.set(station.spec.id, socket);
      options.onEvent?.({ type: 'connected', station: station.spec.id });
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (sockets.get(station.spec.id) === socket) sockets.delete(station.spec.id);
      options.onEvent?.({ type: 'disconnected', station: station.spec.id });
      if (closed) return;
      const attempt = attempts.get(station.spec.id) ?? 0;
      attempts.set(station.spec.id, attempt + 1);
      const timer = setTimeout(() => {
        timers.delete(timer);
        connect(station);
      }, fullJitterDelayMs(attempt, SIM_DEVICE_RECONNECT));
      timers.add(timer);
    });
  };
  for (const station of options.stations) connect(station);

  const sendTimer = setInterval(() => {
    const now = Date.now();
    const byStation = new Map<string, SimStrike[]>();
    for (const strike of wind.advance(now)) {
      const list = byStation.get(strike.station) ?? [];
      list.push(strike);
      byStation.set(strike.station, list);
    }
    for (const [id, strikes] of byStation) {
      const socket = sockets.get(id);
      if (!socket || socket.readyState !== WebSocket.OPEN) continue; // an offline device loses its wind
      socket.send(toCompactFrame(strikes, now));
    }
  }, options.sendIntervalMs ?? 100);

  return {
    wind,
    close() {
      closed = true;
      clearInterval(sendTimer);
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets.values()) socket.close(1000, 'simulator stopping');
    },
  };
}

/** `chime:v@age` items, oldest first. */
export function toCompactFrame(strikes: readonly SimStrike[], sentAt: number): string {
  return strikes
    .map((s) => `${s.chime}:${s.v.toFixed(2)}@${Math.max(0, Math.round(sentAt - s.t))}`)
    .join(',');
}
