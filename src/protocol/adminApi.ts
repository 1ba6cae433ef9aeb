// The closed side's HTTP contract (`/api/admin/*`), shared by the relay's routes and the admin page.
// Types only: the admin page is never part of what ordinary viewers download.

/**
 * The latest status a station's device reported (docs/protocol.md, "Device status"), with the relay's
 * time of its arrival. Private: only the admin API and /admin show it.
 */
export interface ReceivedDeviceStatus {
  firmware: string;
  uptimeS: number;
  /** Left out when the device has no signal strength to report. */
  rssiDbm?: number;
  reconnects: number;
  strikesDropped: number;
  /** Ring commands the board's own striker limits refused; only a device with a striker reports it. */
  ringsRefused?: number;
  receivedAt: number;
}

/** A station as the admin sees it: private fields (never the token hash) and live device state. */
export interface AdminStation {
  id: string;
  name: string;
  lat: number;
  lon: number;
  chimes: number;
  muted: boolean;
  particleId: string | null;
  simulated: boolean;
  online: boolean;
  lastSeen: number | null;
  connected: boolean;
  lastFrameAt: number | null;
  strikesPerMin: number;
  strikesAccepted: number;
  strikesDropped: number;
  /** Strike time of the newest strike heard from the station (played or not); null if none yet. */
  lastStrikeAt: number | null;
  /** null until the station's device sends a status. */
  deviceStatus: ReceivedDeviceStatus | null;
  /** Visitors may touch this station's chimes (false: `participation: false` in the stations file). */
  participation: boolean;
}
