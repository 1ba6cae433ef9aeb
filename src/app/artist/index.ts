// The door to artist mode from the page's main bundle: just the `?dev` check, the lazy import and
// the start-up preset. The panel itself (and tweakpane) is a separate chunk, fetched only here.
import type { ArtistModeDeps } from './artistMode';

export { loadStartupPreset } from './presets';

/**
 * `?dev` on any build, and always under `npm run dev`. The mode, not `import.meta.env.DEV`: a build
 * made with NODE_ENV=test (the e2e build under vitest) has DEV true, but it is a production build.
 */
export function wantsArtistMode(params: URLSearchParams, devBuild: boolean = import.meta.env.MODE === 'development'): boolean {
  return devBuild || params.has('dev');
}

export function startArtistModeLazily(deps: ArtistModeDeps): void {
  import('./artistMode').then(
    ({ startArtistMode }) => startArtistMode(deps),
    (error: unknown) => console.error('artist mode could not load', error),
  );
}
