// POST /ingest/particle: the cloud's webhook, for deployments that prefer push to the stream (or
// run both). Same CloudIngest as the stream, so a strike arriving both ways is delivered once.
import { sendJson, type RouteHandler } from '../http/routes';
import { AuthLockout } from '../http/authLockout';
import { presentsBearerSecret } from '../http/bearerToken';
import { clientAddress, type ProxyTrust } from '../http/clientAddress';
import { isJsonContentType, readBody } from '../http/readBody';
import type { Logger } from '../log';
import { parseCloudEventJson } from './cloudEvent';
import type { CloudIngest } from './cloudIngest';
import { WEBHOOK_MAX_BODY_BYTES } from './limits';

export const WEBHOOK_PATH = '/ingest/particle';

export interface WebhookRouteOptions {
  /** TRUST_PROXY: how the lockout tells clients apart. */
  trust?: ProxyTrust;
  log?: Logger;
}

/** `secret` undefined: webhooks are off and the route says how to turn them on. */
export function particleWebhookRoute(ingest: CloudIngest | undefined, secret: string | undefined, options: WebhookRouteOptions = {}): RouteHandler {
  const lockout = new AuthLockout('WEBHOOK_SECRET', { log: options.log });
  return async (request, response, url) => {
    if (url.pathname !== WEBHOOK_PATH) return false;
    if (request.method !== 'POST') {
      sendJson(response, 405, { error: 'use POST' }, { Allow: 'POST' });
      return true;
    }
    if (!secret || !ingest) {
      request.resume();
      sendJson(response, 404, { error: 'webhooks are off: set WEBHOOK_SECRET on the relay' });
      return true;
    }
    const verdict = lockout.check(clientAddress(request, options.trust), () => presentsBearerSecret(request, secret));
    if (!verdict.ok) {
      request.resume();
      sendJson(response, verdict.status, { error: verdict.error }, verdict.headers);
      return true;
    }
    if (!isJsonContentType(request)) {
      request.resume();
      sendJson(response, 415, { error: 'Content-Type must be application/json' });
      return true;
    }
    const body = await readBody(request, WEBHOOK_MAX_BODY_BYTES);
    if (!body.ok) {
      sendJson(response, body.status, { error: body.error }, body.status === 413 ? { Connection: 'close' } : {});
      return true;
    }
    const parsed = parseCloudEventJson(body.text);
    if (!parsed.ok) {
      sendJson(response, parsed.detail.startsWith('body: not valid JSON') ? 415 : 400, { error: parsed.detail });
      return true;
    }
    const outcome = ingest.receive(parsed.event);
    if (outcome.status === 'bad_payload') {
      sendJson(response, 400, { error: outcome.detail });
      return true;
    }
    sendJson(response, 202, { status: outcome.status });
    return true;
  };
}
