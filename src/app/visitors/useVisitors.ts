// The thin React binding of the page's visitors: components read their store and call their actions.
import { useStore } from 'zustand';
import { useLivePage } from '../page/LivePageProvider';
import type { Visitors, VisitorState } from './visitors';

export function useVisitors(): Visitors {
  return useLivePage().visitors;
}

/** Select one value of the visitors' state (keep selectors atomic). */
export function useVisitorState<T>(selector: (state: VisitorState) => T): T {
  return useStore(useVisitors().store, selector);
}
