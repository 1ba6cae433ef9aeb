// The baseline the issue asks for: one SVG circle per strike animated with d3 transitions, the way
// older pages of this kind draw (no pooling, no canvas, a DOM node per strike). Served by the bench
// from its own little server; it reads the same relay /live stream and records its frames.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const page = (liveUrl: string) => `<!doctype html>
<meta charset="utf-8"><title>naive baseline</title>
<style>html,body{margin:0;background:#0b1020}svg{display:block;width:100vw;height:100vh}</style>
<svg id="map" viewBox="0 0 1280 800"></svg>
<script src="/d3.js"></script>
<script>
  const bench = { frameTimes: [], strikes: 0 };
  window.naive = bench;
  const svg = d3.select('#map');
  const colors = ['#e69f00','#56b4e9','#009e73','#f0e442','#0072b2','#d55e00'];
  const where = new Map();
  (function frame(t) { bench.frameTimes.push(t); requestAnimationFrame(frame); })(performance.now());
  const socket = new WebSocket(${JSON.stringify(liveUrl)});
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.type === 'hello') {
      message.stations.forEach((s, i) => where.set(s.id, [((s.lon + 180) / 360) * 1280, ((90 - s.lat) / 180) * 800]));
      return;
    }
    if (message.type !== 'strike') return;
    bench.strikes++;
    const [x, y] = where.get(message.station) || [640, 400];
    const angle = (message.chime / 6) * 2 * Math.PI;
    svg.append('circle')
      .attr('cx', x + 12 * Math.cos(angle)).attr('cy', y + 12 * Math.sin(angle)).attr('r', 4)
      .attr('fill', 'none').attr('stroke', colors[message.chime % 6]).attr('stroke-width', 1.5).style('opacity', 0.9)
      .transition().duration(2000).ease(d3.easeCubicOut)
      .attr('r', 10 + 26 * message.v).style('opacity', 0)
      .remove();
  };
</script>`;

export async function serveNaiveBaseline(liveUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const d3 = readFileSync('node_modules/d3/dist/d3.min.js');
  const server: Server = createServer((request, response) => {
    if (request.url === '/d3.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(d3);
    } else {
      response.writeHead(200, { 'content-type': 'text/html' }).end(page(liveUrl));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
