// Sound without anyone pressing Listen: where the browser's autoplay policy allows it (a kiosk
// launched with --autoplay-policy=no-user-gesture-required, an iframe with allow="autoplay" on a
// site the visitor uses), sound starts by itself. Elsewhere the first touch, click or key starts it.

/** How long a probe AudioContext may take to start before autoplay counts as blocked. */
export const AUTOPLAY_PROBE_MS = 500;

/** True if an AudioContext made without a gesture runs. The probe is closed either way. */
export async function autoplayAllowed(): Promise<boolean> {
  if (typeof AudioContext === 'undefined') return false;
  let probe: AudioContext;
  try {
    probe = new AudioContext();
  } catch {
    return false;
  }
  try {
    // resume() never settles while autoplay is blocked, hence the race.
    await Promise.race([probe.resume(), new Promise((resolve) => setTimeout(resolve, AUTOPLAY_PROBE_MS))]);
    return probe.state === 'running';
  } catch {
    return false;
  } finally {
    void probe.close().catch(() => undefined);
  }
}

export interface AutoSound {
  /** True while the page waits for a touch to start sound. */
  readonly waitingForTouch: boolean;
  dispose(): void;
}

/**
 * Starts sound now if allowed, else on the first gesture. `listen` must unlock audio synchronously
 * (it is called inside the gesture); `onChange` hears when waiting for a touch starts or ends.
 */
export function startSoundAutomatically(listen: () => void, onChange: (waitingForTouch: boolean) => void): AutoSound {
  let waiting = false;
  let disposed = false;
  const gestures = ['pointerdown', 'keydown', 'touchend'] as const;
  const onGesture = () => {
    stopWaiting();
    listen();
  };
  const stopWaiting = () => {
    for (const type of gestures) window.removeEventListener(type, onGesture, true);
    if (waiting) {
      waiting = false;
      onChange(false);
    }
  };
  void autoplayAllowed().then((allowed) => {
    if (disposed) return;
    if (allowed) {
      listen();
      return;
    }
    waiting = true;
    onChange(true);
    for (const type of gestures) window.addEventListener(type, onGesture, true);
  });
  return {
    get waitingForTouch() {
      return waiting;
    },
    dispose() {
      disposed = true;
      stopWaiting();
    },
  };
}
