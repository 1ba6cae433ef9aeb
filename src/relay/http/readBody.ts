// Reading a small request body with a hard size limit, and the shared checks of JSON POST routes.
import type { IncomingMessage } from 'node:http';

export type BodyResult = { ok: true; text: string } | { ok: false; status: 413 | 400; error: string };

/** Reads the body as UTF-8; stops reading (and answers 413) past `maxBytes`. */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    request.resume();
    return Promise.resolve({ ok: false, status: 413, error: `body: larger than ${maxBytes} bytes` });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyResult) => {
      if (done) return;
      done = true;
      resolve(result);
    };
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        request.resume();
        finish({ ok: false, status: 413, error: `body: larger than ${maxBytes} bytes` });
        return;
      }
      if (!done) chunks.push(chunk);
    });
    request.on('end', () => finish({ ok: true, text: Buffer.concat(chunks).toString('utf8') }));
    request.on('error', () => finish({ ok: false, status: 400, error: 'body: request aborted' }));
  });
}

export function isJsonContentType(request: IncomingMessage): boolean {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json');
}
