// `?embed`: the live page made for an iframe on someone else's site. Honours ?stations=, ?preset=
// and ?source= like the full page (the page core reads them); adds the postMessage bridge and slim chrome.
import type { PageMode, PageModeDeps } from '../kiosk';
import { startEmbedBridge, type EmbedBridge } from './bridge';
import { EmbedApp } from './EmbedApp';
import { parentOriginFrom } from './messages';

declare global {
  interface Window {
    aeolianEmbed?: { bridge: EmbedBridge | null };
  }
}

export function isEmbed(params: URLSearchParams): boolean {
  return params.has('embed');
}

export function startEmbed({ params, page }: PageModeDeps): PageMode {
  const parent = parentOriginFrom(params);
  // A mistyped ?parent= must not quietly become "anyone may command this frame".
  const bridge = 'error' in parent ? null : startEmbedBridge({ store: page.store, parentOrigin: parent.origin, listen: page.listen, parent: window.parent, visitors: page.visitors });
  window.aeolianEmbed = { bridge };
  return { view: <EmbedApp configError={'error' in parent ? parent.error : null} /> };
}
