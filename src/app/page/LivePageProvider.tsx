// The thin React binding of the page core: components reach the store (useLive) and the page's
// actions (useLivePage: listen, attach the canvas) through context, never through props or globals.
import { createContext, useContext, type ReactNode } from 'react';
import { LiveStoreContext } from '../store/useLive';
import type { LivePage } from './livePage';

const LivePageContext = createContext<LivePage | null>(null);

export function LivePageProvider({ page, children }: { page: LivePage; children: ReactNode }) {
  return (
    <LivePageContext.Provider value={page}>
      <LiveStoreContext.Provider value={page.store}>{children}</LiveStoreContext.Provider>
    </LivePageContext.Provider>
  );
}

export function useLivePage(): LivePage {
  const page = useContext(LivePageContext);
  if (!page) throw new Error('useLivePage needs a <LivePageProvider>');
  return page;
}
