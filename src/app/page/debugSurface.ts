// The debug surface: `window.aeolian = { store, stats, page }`. Tests, benchmarks and curious
// people read it; nothing on the page depends on it.
import type { LiveStore } from '../store/liveStore';
import type { LivePage } from './livePage';
import type { BenchSamples, PageStats } from './stats';

declare global {
  interface Window {
    aeolian?: { store: LiveStore; stats: PageStats; page: LivePage; bench?: BenchSamples };
  }
}

export function installDebugSurface(page: LivePage): void {
  const { store, stats, bench } = page;
  window.aeolian = bench ? { store, stats, page, bench } : { store, stats, page };
}
