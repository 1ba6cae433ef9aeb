// The closed side's HTTP contract (`/api/admin/*`), shared by the relay's routes and the admin page.
// Types only: the admin page is never part of what ordinary viewers download.

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
  /** Visitors may touch this station's chimes (false: `participation: false` in the stations file). */
  participation: boolean;
}
