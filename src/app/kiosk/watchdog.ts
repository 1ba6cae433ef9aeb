// The kiosk's last resort: if drawing or the transport makes no progress for WATCHDOG_STALL_MS, the
// page reloads itself, but only once the page is reachable (a reload into an error page would end
// the show for good). Frames are not expected while the page is hidden.

/** Drawing or the transport silent this long means the page is stuck: reload. */
export const WATCHDOG_STALL_MS = 60_000;
/** How often the watchdog looks. */
export const WATCHDOG_CHECK_INTERVAL_MS = 1_000;
/** Shortest stall a `?watchdogS=` override may ask for (tests, impatient installers). */
export const WATCHDOG_MIN_STALL_MS = 2_000;
/** Wait before asking again whether the page is reachable, when it was not. */
export const RELOAD_RETRY_MS = 10_000;

export type Stall = 'drawing' | 'transport';

/** Pure bookkeeping: when did drawing and the transport last show life. Times are ms, one clock. */
export class StallDetector {
  private lastFrameAt: number;
  private lastPulseAt: number;

  constructor(
    now: number,
    private readonly stallMs = WATCHDOG_STALL_MS,
    /** Only sources that promise a heartbeat (the relay) can be judged by silence. */
    private readonly watchTransport = true,
  ) {
    this.lastFrameAt = now;
    this.lastPulseAt = now;
  }

  frame(now: number): void {
    this.lastFrameAt = now;
  }

  /** Any sign of life from the transport: a message, a status change, a reconnect attempt. */
  pulse(now: number): void {
    this.lastPulseAt = now;
  }

  /** While hidden no frame is due: drawing is judged from the moment the page shows again. */
  hidden(now: number): void {
    this.lastFrameAt = now;
  }

  check(now: number): Stall | null {
    if (now - this.lastFrameAt >= this.stallMs) return 'drawing';
    if (this.watchTransport && now - this.lastPulseAt >= this.stallMs) return 'transport';
    return null;
  }
}

/** `?watchdogS=<seconds>` shortens (or lengthens) the stall time; anything odd keeps the default. */
export function stallMsFrom(params: URLSearchParams): number {
  const seconds = Number(params.get('watchdogS'));
  if (!params.has('watchdogS') || !Number.isFinite(seconds)) return WATCHDOG_STALL_MS;
  return Math.max(WATCHDOG_MIN_STALL_MS, Math.round(seconds * 1000));
}

export interface WatchdogOptions {
  stallMs: number;
  watchTransport: boolean;
  /** Reloads the page; resolves false if the page is not reachable right now. */
  reload(stall: Stall): Promise<boolean>;
}

export interface Watchdog {
  frame(): void;
  pulse(): void;
  readonly reloads: number;
  dispose(): void;
}

export function startWatchdog(options: WatchdogOptions): Watchdog {
  const detector = new StallDetector(performance.now(), options.stallMs, options.watchTransport);
  let reloading = false;
  let notBefore = 0;
  let reloads = 0;
  const onVisibility = () => detector.hidden(performance.now());
  document.addEventListener('visibilitychange', onVisibility);
  const timer = setInterval(() => {
    const now = performance.now();
    if (document.hidden) detector.hidden(now);
    const stall = detector.check(now);
    if (!stall || reloading || now < notBefore) return;
    reloading = true;
    reloads++;
    void options.reload(stall).then((reloaded) => {
      reloading = false;
      if (!reloaded) notBefore = performance.now() + RELOAD_RETRY_MS;
    });
  }, WATCHDOG_CHECK_INTERVAL_MS);
  return {
    frame: () => detector.frame(performance.now()),
    pulse: () => detector.pulse(performance.now()),
    get reloads() {
      return reloads;
    },
    dispose() {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    },
  };
}

/** Where the last watchdog reload is remembered (survives the reload; read by tests and curious people). */
export const LAST_RELOAD_STORAGE_KEY = 'aeolian.kiosk.lastReload';

/** Reloads this page if a HEAD request for it answers; otherwise leaves it running. */
export async function reloadWhenReachable(stall: Stall): Promise<boolean> {
  try {
    const response = await fetch(location.href, { method: 'HEAD', cache: 'no-store' });
    if (!response.ok) return false;
  } catch {
    return false;
  }
  try {
    sessionStorage.setItem(LAST_RELOAD_STORAGE_KEY, JSON.stringify({ stall, at: Date.now() }));
  } catch {
    // no storage: the reload still happens
  }
  location.reload();
  return true;
}
