// deploy/Caddyfile in front of the real relay: the page over https with HSTS, /live and /device
// over wss, client addresses through TRUST_PROXY=1, no token in the access log, /metrics private.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { sha256Hex } from '../../src/relay/stations/tokens';
import { record, type RecordingClient } from '../support/wsClient';
import { CADDY_PATH, TEST_SITE_NAME, loopbackLookup, startCaddy, startRelayProcess, waitFor, type CaddyUnderTest, type RelayUnderTest } from './frontDoor';

const DEVICE_TOKEN = 'lima-device-token-0123456789';
const PAGE_MARKER = 'aeolian front door test page';
// Clients come from loopback addresses other than Caddy's own 127.0.0.1, so the relay can only
// name them by reading X-Forwarded-For.
const VIEWER_ADDRESS = '127.0.0.2';
const DEVICE_ADDRESS = '127.0.0.3';
const SPOOFED_ADDRESS = '203.0.113.9';

const caddyMissing = !existsSync(CADDY_PATH);
if (caddyMissing) console.warn(`test/deploy/caddy.test.ts skipped: ${CADDY_PATH} is missing (apt-get install -y caddy)`);

describe.skipIf(caddyMissing)('deploy/Caddyfile in front of the relay', () => {
  let dir: string;
  let relay: RelayUnderTest | undefined;
  let caddy: CaddyUnderTest | undefined;
  const clients: RecordingClient[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aeolian-caddy-'));
    const dist = join(dir, 'dist');
    mkdirSync(dist);
    writeFileSync(join(dist, 'index.html'), `<!doctype html><title>${PAGE_MARKER}</title>`);
    const stationsPath = join(dir, 'stations.json');
    writeFileSync(
      stationsPath,
      JSON.stringify([{ id: 'lima', name: 'Lima', lat: -12.05, lon: -77.04, chimes: 6, tokenSha256: sha256Hex(DEVICE_TOKEN) }]),
    );
    // METRICS_TOKEN unset: the relay itself serves /metrics to anyone, so only Caddy keeps it private.
    // debug: each viewer's connection (with its address) is logged one by one only at debug; info summarises.
    relay = await startRelayProcess({ TRUST_PROXY: '1', STATIONS: stationsPath, DIST_DIR: dist, LOG_LEVEL: 'debug', METRICS_TOKEN: '' });
    caddy = await startCaddy(relay.address, dir);
  }, 60_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    await caddy?.stop();
    await relay?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const wss = async (path: string, options: { localAddress: string; headers?: Record<string, string> }) => {
    // ws hands its options to https.request, which takes `lookup` though ws's types leave it out.
    const clientOptions: WebSocket.ClientOptions & Pick<RequestOptions, 'lookup'> = { ca: caddy!.rootCertificate, lookup: loopbackLookup, ...options };
    const client = await record(`wss://${TEST_SITE_NAME}:${caddy!.httpsPort}${path}`, clientOptions);
    clients.push(client);
    return client;
  };

  it('serves the page over https with HSTS and the CSP allowing its own wss origin', async () => {
    const response = await get(caddy!, '/');
    expect(response.status).toBe(200);
    expect(response.body).toContain(PAGE_MARKER);
    expect(response.headers['strict-transport-security']).toMatch(/max-age=\d{7,}/);
    expect(response.headers['content-security-policy']).toContain(`wss://${TEST_SITE_NAME}:${caddy!.httpsPort}`);
    expect(response.headers.server).toBeUndefined();
  });

  it('sends plain http to https', async () => {
    const response = await new Promise<{ status: number; location: string | undefined }>((resolve, reject) => {
      httpRequest({ host: '127.0.0.1', port: caddy!.httpPort, path: '/?x=1', headers: { Host: `${TEST_SITE_NAME}:${caddy!.httpPort}` } }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, location: res.headers.location });
      })
        .once('error', reject)
        .end();
    });
    expect(response.status).toBe(308);
    // Caddy names the https port only when it is not 443.
    expect(response.location).toMatch(new RegExp(`^https://${TEST_SITE_NAME.replace('.', '\\.')}(:${caddy!.httpsPort})?/\\?x=1$`));
  });

  it('says hello on /live over wss', async () => {
    const viewer = await wss('/live', { localAddress: VIEWER_ADDRESS });
    expect(viewer.messages[0]?.type).toBe('hello');
  });

  it("carries a device's strike over wss to a wss viewer, and the relay names both by their own address", async () => {
    const viewer = await wss('/live', { localAddress: VIEWER_ADDRESS });
    // A forged X-Forwarded-For from the device: Caddy replaces it with the address it saw.
    const device = await wss('/device', { localAddress: DEVICE_ADDRESS, headers: { Authorization: `Bearer ${DEVICE_TOKEN}`, 'X-Forwarded-For': SPOOFED_ADDRESS } });
    device.socket.send('3');
    await viewer.waitFor(() => viewer.strikes().some((strike) => strike.station === 'lima' && strike.chime === 3));

    const events = () => relay!.output().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { event?: string; ip?: string });
    const deviceLog = await waitFor(() => events().find((entry) => entry.event === 'device_connected'), 'the device_connected log line');
    expect(deviceLog.ip).toBe(DEVICE_ADDRESS);
    expect(events().filter((entry) => entry.event === 'viewer_connected').map((entry) => entry.ip)).toContain(VIEWER_ADDRESS);
    expect(relay!.output()).not.toContain(SPOOFED_ADDRESS);
    device.close();
  });

  it('keeps device tokens, in the query or the Authorization header, out of the access log', async () => {
    // Old firmware sends the token in the URL; %74 is "t", which the relay decodes too.
    const connections: { probe: string; path: string; headers: Record<string, string> }[] = [
      { probe: 'bearer', path: '/device?probe=bearer', headers: { Authorization: `Bearer ${DEVICE_TOKEN}` } },
      { probe: 'query', path: `/device?probe=query&token=${DEVICE_TOKEN}`, headers: {} },
      { probe: 'encoded', path: `/device?probe=encoded&%74oken=${DEVICE_TOKEN}`, headers: {} },
    ];
    for (const { path, headers } of connections) {
      const device = await wss(path, { localAddress: DEVICE_ADDRESS, headers });
      device.socket.close();
      await device.closed;
    }
    // Caddy logs a websocket once it has ended.
    const log = await waitFor(() => {
      const text = existsSync(caddy!.accessLogPath) ? readFileSync(caddy!.accessLogPath, 'utf8') : '';
      return connections.every(({ probe }) => text.includes(`"uri":"/device?probe=${probe}"`)) ? text : undefined;
    }, 'the three /device connections in the access log');
    expect(log).not.toContain(DEVICE_TOKEN);
    expect(log).not.toMatch(/token=/i);
  });

  it('keeps /metrics private in every spelling the relay would read as /metrics', async () => {
    // METRICS_TOKEN is unset, so the relay serves its counts to anyone who reaches it directly.
    for (const path of ['/metrics', '/metrics?format=text', '/./metrics', '/api/../metrics', '/live/../metrics']) {
      expect((await getDirect(relay!.address, path)).body, `relay ${path}`).toContain('aeolian_');
      const response = await get(caddy!, path);
      expect(response.status, path).toBe(404);
      expect(response.body, path).not.toContain('aeolian_');
    }
    for (const path of ['/metrics/', '/METRICS', '/%6Detrics', '//metrics']) {
      expect((await get(caddy!, path)).body, path).not.toContain('aeolian_');
    }
  });

  // Last: it stops the relay.
  it("keeps device tokens out of Caddy's own log when the relay is down", async () => {
    await relay!.stop();
    const response = await get(caddy!, `/device?probe=down&token=${DEVICE_TOKEN}`);
    expect(response.status).toBe(502);
    await caddy!.waitForOutput(/"status":502/);
    expect(caddy!.output()).toContain('"uri":"/device?probe=down"');
    expect(caddy!.output()).not.toContain(DEVICE_TOKEN);
  });
});

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** GET over https through Caddy, trusting only its internal CA; the path is sent exactly as given. */
function get(caddy: CaddyUnderTest, path: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    httpsRequest(
      { host: TEST_SITE_NAME, port: caddy.httpsPort, path, ca: caddy.rootCertificate, lookup: loopbackLookup, localAddress: VIEWER_ADDRESS },
      (response) => readReply(response, resolve),
    )
      .once('error', reject)
      .end();
  });
}

/** GET straight to the relay on loopback, bypassing Caddy; the path is sent exactly as given. */
function getDirect(address: string, path: string): Promise<Reply> {
  const url = new URL(`http://${address}`);
  return new Promise((resolve, reject) => {
    httpRequest({ host: url.hostname, port: Number(url.port), path }, (response) => readReply(response, resolve))
      .once('error', reject)
      .end();
  });
}

function readReply(response: IncomingMessage, resolve: (reply: Reply) => void): void {
  let body = '';
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => (body += chunk));
  response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
}
