// Test-only observation of every frame the page receives from its relay, wherever its socket
// lives: in a worker for the page's own relay (src/app/transport/workerSocket.ts), on the main
// thread for a `?relay=` elsewhere. The page itself is unchanged. Install with
// `page.addInitScript(observeRelayFrames)`, then set `window.onRelayFrame` in a later init script.

declare global {
  interface Window {
    onRelayFrame?: (text: string) => void;
  }
}

/** Runs in the page before its scripts (serialised by playwright: self-contained). */
export function observeRelayFrames(): void {
  const OriginalWorker = window.Worker;
  window.Worker = class extends OriginalWorker {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      // The socket worker's reports: { type: 'messages', messages } is what the relay sent.
      this.addEventListener('message', (event: MessageEvent) => {
        const report = event.data as { type?: unknown; messages?: unknown } | null;
        if (report?.type !== 'messages' || !Array.isArray(report.messages)) return;
        for (const message of report.messages) window.onRelayFrame?.(String(message));
      });
    }
  };
  const OriginalWebSocket = window.WebSocket;
  window.WebSocket = class extends OriginalWebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', (event: MessageEvent) => window.onRelayFrame?.(String(event.data)));
    }
  };
}
