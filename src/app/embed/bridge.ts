// The embed's side of postMessage: commands from the parent page (checked for shape, for coming
// from the parent window and, with ?parent=, from that origin) become store actions; every change
// of the status the parent cares about is posted back.
import type { LiveStore } from '../store/liveStore';
import type { Visitors } from '../visitors/visitors';
import { embedStatusOf, parseEmbedCommand, type EmbedCommand } from './messages';

export interface EmbedBridgeOptions {
  store: LiveStore;
  /** Only messages from this origin are obeyed, and status goes only there; null: any origin. */
  parentOrigin: string | null;
  /** Starts sound (unmute when sound never started). */
  listen: () => void;
  /** The window that may command us (window.parent). */
  parent: Window;
  /** The page's visitors, whose chime buttons `aeolian:buttons` turns on and off. */
  visitors?: Pick<Visitors, 'store' | 'setButtons'>;
}

export interface EmbedBridge {
  readonly commandsObeyed: number;
  readonly commandsIgnored: number;
  dispose(): void;
}

export function startEmbedBridge({ store, parentOrigin, listen, parent, visitors }: EmbedBridgeOptions): EmbedBridge {
  let obeyed = 0;
  let ignored = 0;
  const post = (message: object) => parent.postMessage(message, parentOrigin ?? '*');

  const apply = (command: EmbedCommand): string | null => {
    const state = store.getState();
    switch (command.type) {
      case 'aeolian:mute':
        state.setMuted(true);
        return null;
      case 'aeolian:unmute':
        state.setMuted(false);
        if (state.audio === 'off' || state.audio === 'failed') listen();
        return null;
      case 'aeolian:volume':
        state.setVolume(command.volume);
        return null;
      case 'aeolian:station':
        if (command.station !== null && !state.stations.some((s) => s.id === command.station)) {
          return `aeolian:station: no station "${command.station}"`;
        }
        state.setFocusStation(command.station);
        return null;
      case 'aeolian:buttons':
        visitors?.setButtons(command.enabled);
        return null;
    }
  };

  const onMessage = (event: MessageEvent) => {
    if (event.source !== parent || (parentOrigin !== null && event.origin !== parentOrigin)) {
      ignored++;
      return;
    }
    const parsed = parseEmbedCommand(event.data);
    const error = parsed.ok ? apply(parsed.command) : parsed.error;
    if (parsed.ok && error === null) obeyed++;
    else ignored++;
    if (error) post({ type: 'aeolian:error', error });
  };
  window.addEventListener('message', onMessage);

  let last = '';
  const report = () => {
    const status = embedStatusOf(store.getState(), visitors?.store.getState().buttons ?? false);
    const text = JSON.stringify(status);
    if (text === last) return;
    last = text;
    post(status);
  };
  const unsubscribe = store.subscribe(report);
  const unsubscribeVisitors = visitors?.store.subscribe(report);
  report();

  return {
    get commandsObeyed() {
      return obeyed;
    },
    get commandsIgnored() {
      return ignored;
    },
    dispose() {
      window.removeEventListener('message', onMessage);
      unsubscribe();
      unsubscribeVisitors?.();
    },
  };
}
