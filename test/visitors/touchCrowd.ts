// A crowd of visitors' pages as a process of its own, so the load it generates does not share the
// relay's event loop: `node --import tsx test/visitors/touchCrowd.ts <relay url> <clients> <touches/s
// each> <ms>`. Each page has its own address (X-Forwarded-For; run the relay with TRUST_PROXY=1).
// Prints one JSON line when every page is connected ({"ready":n}) and one with the counts at the end.
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';

export interface CrowdResult {
  acks: number;
  refused: Record<string, number>;
  touchesSent: number;
  touchingMs: number;
}

async function run(relayUrl: string, clients: number, touchesPerS: number, durationMs: number): Promise<void> {
  const sockets: WebSocket[] = [];
  const result: CrowdResult = { acks: 0, refused: {}, touchesSent: 0, touchingMs: 0 };
  const open = (index: number) =>
    new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(`${relayUrl.replace(/^http/, 'ws')}/touch`, {
        headers: { Origin: relayUrl, 'X-Forwarded-For': `10.2.${Math.floor(index / 250)}.${index % 250}` },
      });
      socket.on('message', (data) => {
        const text = String(data);
        if (text.startsWith('{"type":"touch_ack"')) result.acks++;
        else if (text.startsWith('{"type":"touch_refused"')) {
          const reason = /"reason":"([a-z_]+)"/.exec(text)?.[1] ?? 'unknown';
          result.refused[reason] = (result.refused[reason] ?? 0) + 1;
        }
      });
      socket.once('open', () => resolve(socket));
      socket.once('error', reject);
    });
  for (let batch = 0; batch < clients; batch += 50) {
    sockets.push(...(await Promise.all(Array.from({ length: Math.min(50, clients - batch) }, (_, i) => open(batch + i)))));
  }
  console.log(JSON.stringify({ ready: sockets.length }));
  const startedAt = Date.now();
  const intervalMs = 1000 / touchesPerS;
  let due = 0;
  // On schedule: each turn sends what is due by now, spread across the pages.
  while (Date.now() - startedAt < durationMs) {
    const target = Math.floor(((Date.now() - startedAt) / intervalMs) * clients);
    for (; due < target; due++) {
      sockets[due % clients]!.send(`{"type":"touch","id":"c${due}","station":"chicago","chime":${due % 6}}`);
      result.touchesSent++;
    }
    await sleep(5);
  }
  result.touchingMs = Date.now() - startedAt;
  await sleep(500); // answers in flight
  for (const socket of sockets) socket.terminate();
  console.log(JSON.stringify(result));
}

const [url, clients, perS, ms] = process.argv.slice(2);
if (url) void run(url, Number(clients), Number(perS), Number(ms));
