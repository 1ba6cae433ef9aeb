// The thin React binding: components read the store through selectors and call its actions.
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { LiveActions, LiveState, LiveStore } from './liveStore';

export const LiveStoreContext = createContext<LiveStore | null>(null);

export function useLiveStore(): LiveStore {
  const store = useContext(LiveStoreContext);
  if (!store) throw new Error('useLive needs a <LiveStoreContext.Provider>');
  return store;
}

/** Select one value (keep selectors atomic or memoised: a fresh object each call re-renders forever). */
export function useLive<T>(selector: (state: LiveState & LiveActions) => T): T {
  return useStore(useLiveStore(), selector);
}
