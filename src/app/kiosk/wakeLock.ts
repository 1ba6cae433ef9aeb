// Keeps the screen on (Screen Wake Lock API). The browser drops the lock whenever the page is
// hidden, so it is taken again each time the page becomes visible.

export type WakeLockState = 'unsupported' | 'pending' | 'held' | 'released' | 'denied';

export interface ScreenWakeLock {
  readonly state: WakeLockState;
  /** How many times the lock was granted (the first time and every re-take). */
  readonly grants: number;
  dispose(): void;
}

export function holdScreenAwake(): ScreenWakeLock {
  const api = 'wakeLock' in navigator ? navigator.wakeLock : undefined;
  let state: WakeLockState = api ? 'pending' : 'unsupported';
  let grants = 0;
  let sentinel: WakeLockSentinel | null = null;
  let disposed = false;

  const take = async () => {
    if (!api || disposed || document.hidden || (sentinel && !sentinel.released)) return;
    try {
      const granted = await api.request('screen');
      if (disposed) {
        void granted.release();
        return;
      }
      sentinel = granted;
      grants++;
      state = 'held';
      granted.addEventListener('release', () => {
        if (sentinel === granted) state = 'released';
      });
    } catch {
      // Not allowed here (no permission, battery saver, insecure origin): the screen may sleep.
      state = 'denied';
    }
  };
  const onVisibility = () => void take();
  document.addEventListener('visibilitychange', onVisibility);
  void take();

  return {
    get state() {
      return state;
    },
    get grants() {
      return grants;
    },
    dispose() {
      disposed = true;
      document.removeEventListener('visibilitychange', onVisibility);
      void sentinel?.release();
    },
  };
}
