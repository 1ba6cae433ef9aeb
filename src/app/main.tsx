// Minimal live page (foundation): connects to /live, shows the connection state and a strike count.
// The full page (transports, store, map, sound) replaces this.
import { lazy, StrictMode, Suspense, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { parseRelayMessage } from '../protocol';

function liveUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/live`;
}

function App() {
  const [state, setState] = useState<'connecting' | 'live' | 'offline'>('connecting');
  const [strikes, setStrikes] = useState(0);
  const [stations, setStations] = useState(0);
  useEffect(() => {
    let socket: WebSocket | undefined;
    let retry: number | undefined;
    let count = 0;
    const flush = window.setInterval(() => setStrikes(count), 250);
    const connect = () => {
      socket = new WebSocket(liveUrl());
      socket.onmessage = (event) => {
        const parsed = parseRelayMessage(String(event.data));
        if (!parsed.ok) return;
        if (parsed.message.type === 'hello') {
          setState('live');
          setStations(parsed.message.stations.length);
        } else if (parsed.message.type === 'strike') count++;
      };
      socket.onclose = () => {
        setState('offline');
        retry = window.setTimeout(connect, 2000);
      };
    };
    connect();
    return () => {
      clearInterval(flush);
      clearTimeout(retry);
      if (socket) socket.onclose = null;
      socket?.close();
    };
  }, []);
  return (
    <main>
      <h1>aeolian</h1>
      <p data-testid="status">{state}</p>
      <p>
        <span data-testid="strike-count">{strikes}</span> strikes from {stations} stations
      </p>
    </main>
  );
}

// The admin view is a separate chunk: only /admin downloads it.
const AdminApp = lazy(() => import('./admin/AdminApp'));
const isAdmin = location.pathname.startsWith('/admin');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {isAdmin ? (
      <Suspense fallback={null}>
        <AdminApp />
      </Suspense>
    ) : (
      <App />
    )}
  </StrictMode>,
);
