// The page core in a browser: the address is `location` + `history`, storage is localStorage where
// the browser allows it, reduced motion follows the media query, and the debug surface shows it all.
import { unlockAudio } from '../audio';
import { installDebugSurface } from './debugSurface';
import { createLivePage, type LivePage } from './livePage';

export interface BrowserPageOptions {
  /**
   * Whether mute and volume are remembered in localStorage. An embed must not: its parent's
   * commands would become the main page's saved settings on the same site.
   */
  rememberListening: boolean;
}

export function openBrowserPage(options: BrowserPageOptions = { rememberListening: true }): LivePage {
  const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');
  const page = createLivePage({
    address: { current: () => new URL(location.href), replace: (address) => history.replaceState(null, '', address) },
    storage: options.rememberListening ? safeLocalStorage() : null,
    reducedMotion: reducedMotion.matches,
    unlockAudio,
  });
  reducedMotion.addEventListener('change', () => page.store.getState().setVisual({ reducedMotion: reducedMotion.matches }));
  installDebugSurface(page);
  return page;
}

/** localStorage, or null where reading it throws (private modes, sandboxed frames). */
export function safeLocalStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
