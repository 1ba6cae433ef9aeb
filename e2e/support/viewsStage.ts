// For the view tests (e2e/views*.test.ts): a scripted relay that serves the built page with the
// real relay's security headers (its CSP included) and a /live stream of exactly the six simulator
// stations and the strikes the test sends, and pixel readings of the page's canvas. Closed by the
// caller in afterEach, also on failure.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import sirv from 'sirv';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Station } from '../../src/protocol';
import { setPageSecurityHeaders } from '../../src/relay/http/pageSecurity';
import { SIM_STATIONS } from '../../src/sim/stations';

export const STATIONS: Station[] = SIM_STATIONS.map(({ id, name, lat, lon, chimes }) => ({ id, name, lat, lon, chimes, online: true, lastSeen: Date.now() }));

export interface ScriptedRelay {
  url: string;
  /** Sends a strike to every page watching. */
  strike(station: string, chime: number, v: number): void;
  close(): Promise<void>;
}

export async function startScriptedRelay(): Promise<ScriptedRelay> {
  const serve = sirv(process.env.DIST_DIR ?? 'dist', { dev: true });
  const server: Server = createServer((request, response) => {
    setPageSecurityHeaders(request, response);
    serve(request, response);
  });
  const wss = new WebSocketServer({ noServer: true });
  const viewers = new Set<WebSocket>();
  let seq = 0;
  server.on('upgrade', (request, socket, head) => {
    if (new URL(request.url ?? '/', 'http://relay').pathname !== '/live') return socket.destroy();
    wss.handleUpgrade(request, socket, head, (ws) => {
      ws.on('error', () => undefined);
      ws.on('close', () => viewers.delete(ws));
      viewers.add(ws);
      ws.send(JSON.stringify({ type: 'hello', protocol: 1, epoch: 'views', seq, now: Date.now(), stations: STATIONS, viewers: 1 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    strike(station, chime, v) {
      const frame = JSON.stringify({ type: 'strike', seq: ++seq, station, chime, v, t: Date.now() });
      for (const viewer of viewers) viewer.send(frame);
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Collects every Content-Security-Policy violation the page reports (event and console), from the first script on. */
export async function watchCspViolations(page: Page): Promise<() => Promise<string[]>> {
  const logged: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) logged.push(message.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`));
  });
  return async () => [
    ...logged,
    ...(await page.evaluate(() => (window as unknown as { cspViolations?: string[] }).cspViolations ?? []).catch(() => [])),
  ];
}

/** The canvas's size in CSS px and device px. */
export const canvasBox = (page: Page) =>
  page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="map"]')!;
    const rect = canvas.getBoundingClientRect();
    return { width: rect.width, height: rect.height, ratio: canvas.width / rect.width };
  });

/** Bounding box (CSS px) of every canvas pixel that is not the page's background color: what the map covers. */
export const drawnExtent = (frame: Page) =>
  frame.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="map"]')!;
    const ratio = canvas.width / canvas.getBoundingClientRect().width;
    const hex = window.aeolian!.store.getState().visual.background;
    const bg = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    const { data, width, height } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let [left, top, right, bottom] = [width, height, -1, -1];
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        if (Math.abs(data[i]! - bg[0]!) + Math.abs(data[i + 1]! - bg[1]!) + Math.abs(data[i + 2]! - bg[2]!) <= 3) continue;
        if (x < left) left = x;
        if (x > right) right = x;
        if (y < top) top = y;
        if (y > bottom) bottom = y;
      }
    return { left: left / ratio, top: top / ratio, right: (right + 1) / ratio, bottom: (bottom + 1) / ratio };
  });

/** Resolves once two canvas readings `ms` apart are identical (the land has arrived, nothing moves). */
export async function canvasSettled(page: Page, timeoutMs = 15_000): Promise<void> {
  await page.waitForFunction(
    async () => {
      const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="map"]')!;
      const read = () => canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      const before = read();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const after = read();
      for (let i = 0; i < before.length; i += 4) if (before[i] !== after[i] || before[i + 1] !== after[i + 1]) return false;
      return window.aeolian!.store.getState().stations.length > 0;
    },
    null,
    { timeout: timeoutMs, polling: 100 },
  );
}

/**
 * Starts watching the canvas: every frame until `ms` have passed, the bounding box of the pixels
 * that differ from the picture at the start is measured; resolves with the largest width or height
 * (CSS px) any frame showed. Call, then strike, then await.
 */
export async function watchLargestChange(page: Page, ms: number): Promise<() => Promise<number>> {
  await page.evaluate((duration) => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="map"]')!;
    const context = canvas.getContext('2d')!;
    const ratio = canvas.width / canvas.getBoundingClientRect().width;
    const start = context.getImageData(0, 0, canvas.width, canvas.height).data;
    const until = performance.now() + duration;
    let largest = 0;
    (window as unknown as { largestChange: Promise<number> }).largestChange = new Promise((resolve) => {
      const frame = () => {
        const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
        let [left, top, right, bottom] = [width, height, -1, -1];
        for (let y = 0; y < height; y++)
          for (let x = 0; x < width; x++) {
            const i = (y * width + x) * 4;
            if (Math.abs(data[i]! - start[i]!) + Math.abs(data[i + 1]! - start[i + 1]!) + Math.abs(data[i + 2]! - start[i + 2]!) < 24) continue;
            if (x < left) left = x;
            if (x > right) right = x;
            if (y < top) top = y;
            if (y > bottom) bottom = y;
          }
        if (right >= 0) largest = Math.max(largest, (right - left + 1) / ratio, (bottom - top + 1) / ratio);
        if (performance.now() < until) requestAnimationFrame(frame);
        else resolve(largest);
      };
      requestAnimationFrame(frame);
    });
  }, ms);
  return () => page.evaluate(() => (window as unknown as { largestChange: Promise<number> }).largestChange);
}

/** Height (CSS px) of the near-white ink (station names) inside a box of the canvas given in CSS px. */
export const inkHeight = (page: Page, box: { x: number; y: number; width: number; height: number }) =>
  page.evaluate(({ x, y, width, height }) => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="map"]')!;
    const ratio = canvas.width / canvas.getBoundingClientRect().width;
    const [left, top] = [Math.max(0, Math.round(x * ratio)), Math.max(0, Math.round(y * ratio))];
    const image = canvas.getContext('2d')!.getImageData(left, top, Math.round(width * ratio), Math.round(height * ratio));
    let [first, last] = [Infinity, -Infinity];
    for (let row = 0; row < image.height; row++)
      for (let column = 0; column < image.width; column++) {
        const i = (row * image.width + column) * 4;
        if (Math.min(image.data[i]!, image.data[i + 1]!, image.data[i + 2]!) < 170) continue;
        first = Math.min(first, row);
        last = Math.max(last, row);
      }
    return last >= first ? (last - first + 1) / ratio : 0;
  }, box);

/** The canvas pixel (r, g, b) at a point given in CSS px. */
export const pixelAt = (page: Page, x: number, y: number) =>
  page.evaluate(
    ([px, py]) => {
      const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="map"]')!;
      const ratio = canvas.width / canvas.getBoundingClientRect().width;
      return [...canvas.getContext('2d')!.getImageData(Math.round(px! * ratio), Math.round(py! * ratio), 1, 1).data.slice(0, 3)];
    },
    [x, y],
  );
