// The bench's devices: one websocket per bench station, and a driver that spreads `rate` strikes a
// second over them, each device on its own timer. Shared by bench:relay and bench:backplane.
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { BENCH_DEVICES, FLOOD_STATION, benchToken } from './benchStations';

function openDevice(port: number, token: string): Promise<WebSocket> {
  return new Promise<WebSocket>((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/device`, { headers: { Authorization: `Bearer ${token}` } });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

export function openBenchDevices(port: number): Promise<WebSocket[]> {
  return Promise.all(Array.from({ length: BENCH_DEVICES }, (_, index) => openDevice(port, benchToken(index))));
}

/** The flood station's device (production rate limit). */
export function openFloodDevice(port: number): Promise<WebSocket> {
  return openDevice(port, FLOOD_STATION.token);
}

const FLOOD_STRIKES_PER_FRAME = 100;

/** Sends `strikesPerS` strikes a second from one device, in 100-strike frames. */
export async function flood(socket: WebSocket, strikesPerS: number, seconds: number): Promise<void> {
  const frame = Array.from({ length: FLOOD_STRIKES_PER_FRAME }, (_, i) => String(i % 6)).join(',');
  const intervalMs = (1000 * FLOOD_STRIKES_PER_FRAME) / strikesPerS;
  const startedAt = performance.now();
  for (let sent = 1; performance.now() - startedAt < seconds * 1000; sent++) {
    socket.send(frame);
    await sleep(Math.max(0, startedAt + sent * intervalMs - performance.now()));
  }
}

/** Every device sends single-strike frames on its own timer; together `rate` strikes a second. */
export function driveBenchDevices(devices: WebSocket[], rate: number, seconds: number): Promise<void> {
  return driveStrikes(devices.length, (device, chime) => devices[device]!.send(`{"chime":${chime}}`), rate, seconds);
}

/**
 * The devices' timing, whatever carries the strikes (device sockets to the relay, or the C sweep
 * floor's strike socket): `devices` timers, evenly offset, together `rate` strikes a second.
 */
export async function driveStrikes(devices: number, strike: (device: number, chime: number) => void, rate: number, seconds: number): Promise<void> {
  const perDeviceIntervalMs = (1000 * devices) / rate;
  const startedAt = performance.now();
  const endAt = startedAt + seconds * 1000;
  await Promise.all(
    Array.from({ length: devices }, async (_, index) => {
      const offsetMs = (perDeviceIntervalMs * index) / devices;
      await sleep(offsetMs);
      for (let sent = 1; performance.now() < endAt; sent++) {
        strike(index, sent % 6);
        await sleep(Math.max(0, startedAt + offsetMs + sent * perDeviceIntervalMs - performance.now()));
      }
    }),
  );
}
