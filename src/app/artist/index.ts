// The door to artist mode from the page's main bundle: just the `?dev` check, the lazy import and
// the start-up preset. The panel itself (and tweakpane) is a separate chunk, fetched only here.
import type { ArtistModeDeps } from './artistMode';

export { loadStartupPreset } from './presets';

/**
 * `?dev` on any build, and always under `npm run dev`. The mode, not `import.meta.env.DEV`: a build
 * made with NODE_ENV=test (the e2e build under vitest) has DEV true, but it is a production build.
 * Never in `?embed` or inside a frame: the panel saves presets to this origin's storage, and a
 * third-party page must neither show it to its visitors nor have them change the artist's look.
 */
export function wantsArtistMode(
  params: URLSearchParams,
  devBuild: boolean = import.meta.env.MODE === 'development',
  framed: boolean = isFramed(),
): boolean {
  if (params.has('embed') || framed) return false;
  return devBuild || params.has('dev');
}

function isFramed(): boolean {
  try {
    return window.top !== window.self;
  } catch {
    return true; // a browser that will not even say: assume the worst
  }
}

export function startArtistModeLazily(deps: ArtistModeDeps): void {
  import('./artistMode').then(
    ({ startArtistMode }) => startArtistMode(deps),
    (error: unknown) => console.error('artist mode could not load', error),
  );
}
