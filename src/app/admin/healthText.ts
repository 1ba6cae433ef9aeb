// What /admin says about a station's device health, as plain text: the device's own status report
// (docs/protocol.md, "Device status") and whether it is stale. Pure, so it is tested without a page.
import { DEVICE_STATUS_STALE_MS } from '../../protocol/limits';
import type { ReceivedDeviceStatus } from '../../protocol/adminApi';

export interface HealthItem {
  label: string;
  value: string;
}

/** "42 s", "12 min", "3 h 5 min", "4 d 3 h": an uptime at a glance. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3_600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3_600)} h ${Math.floor((s % 3_600) / 60)} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3_600)} h`;
}

/** "never", "12 s ago", "3 min ago", "2 h ago". */
export function ago(at: number | null, now = Date.now()): string {
  if (at === null) return 'never';
  const s = Math.max(0, Math.round((now - at) / 1000));
  return s < 60 ? `${s} s ago` : s < 3600 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
}

/** Two reports missed: the board (or its status) has gone quiet. */
export function isStatusStale(status: ReceivedDeviceStatus, now = Date.now()): boolean {
  return now - status.receivedAt > DEVICE_STATUS_STALE_MS;
}

/** The report as labelled items, in the order docs/devices.md explains them. */
export function healthItems(status: ReceivedDeviceStatus, now = Date.now()): HealthItem[] {
  return [
    { label: 'firmware', value: status.firmware },
    { label: 'up', value: formatDuration(status.uptimeS) },
    ...(status.rssiDbm === undefined ? [] : [{ label: 'signal', value: `${status.rssiDbm} dBm` }]),
    { label: 'reconnects', value: String(status.reconnects) },
    { label: 'lost on board', value: String(status.strikesDropped) },
    ...(status.ringsRefused === undefined ? [] : [{ label: 'rings refused', value: String(status.ringsRefused) }]),
    { label: 'reported', value: ago(status.receivedAt, now) },
  ];
}
