// Holds the side panel back until the stations are known, so their arrival adds the panel whole
// instead of pushing the legend and the rest down (no layout shift when data arrives).
import type { ReactNode } from 'react';
import { useLive } from '../store/useLive';

export function PanelGate({ children }: { children: ReactNode }) {
  const known = useLive((s) => s.stations.length > 0 || s.connection.state === 'offline');
  return known ? <>{children}</> : <p className="hint">Waiting for the stations…</p>;
}
