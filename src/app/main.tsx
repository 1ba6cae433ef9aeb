// Entry: /admin loads the admin app lazily (viewers never download it); everything else is the
// live page: its core (page/) picks the source from the address and feeds the canvas and the
// sound; a mode (kiosk, embed) may bring its own view, and `?dev` adds the artist's panel.
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { loadStartupPreset, startArtistModeLazily, wantsArtistMode } from './artist';
import { isEmbed, startEmbed } from './embed';
import { isKiosk, startKiosk } from './kiosk';
import { openBrowserPage, safeLocalStorage } from './page/browserPage';
import { LivePageProvider } from './page/LivePageProvider';
import './ui/page.css';

const AdminApp = lazy(() => import('./admin/AdminApp'));
const root = createRoot(document.getElementById('root')!);

if (location.pathname.startsWith('/admin')) {
  root.render(
    <StrictMode>
      <Suspense fallback={<p>Loading…</p>}>
        <AdminApp />
      </Suspense>
    </StrictMode>,
  );
} else {
  startLivePage();
}

function startLivePage(): void {
  const params = new URLSearchParams(location.search);
  const embedded = isEmbed(params);
  // An embed remembers nothing: a same-site parent's mute and volume must not become the main page's.
  const page = openBrowserPage({ rememberListening: !embedded });
  // `?kiosk` and `?embed` watch the source (before it starts) and bring their own view.
  const mode = isKiosk(params) ? startKiosk({ params, page }) : embedded ? startEmbed({ params, page }) : null;
  page.start();
  // Every visitor gets the shipped look (public/presets/default.json), or `?preset=<name>`.
  void loadStartupPreset(page.store, params, safeLocalStorage());
  // `?dev` (always under `npm run dev`, never in a frame): the artist's panel, a chunk ordinary visitors never fetch.
  if (wantsArtistMode(params)) startArtistModeLazily({ page, storage: safeLocalStorage() });

  root.render(
    <StrictMode>
      <LivePageProvider page={page}>{mode?.view ?? <App />}</LivePageProvider>
    </StrictMode>,
  );
}
