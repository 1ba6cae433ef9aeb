import { createServer, type Server } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { checkPortFree, portTakenMessage } from './portCheck';

let holder: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (holder ? holder.close(resolve) : resolve(undefined)));
  holder = undefined;
});

function holdPort(): Promise<number> {
  holder = createServer();
  return new Promise((resolve) => holder!.listen(0, '127.0.0.1', () => resolve((holder!.address() as { port: number }).port)));
}

it('finds a port taken by another listener, and says what to do in one message', async () => {
  const port = await holdPort();
  expect(await checkPortFree(port, '127.0.0.1')).toEqual({ free: false, code: 'EADDRINUSE' });
  const message = portTakenMessage(port, '127.0.0.1', 'EADDRINUSE');
  expect(message).toContain(`port ${port} on 127.0.0.1 is already in use`);
  expect(message).toContain(`PORT=${port + 1} npm start`);
  expect(message).not.toMatch(/\n\s+at /); // no stack trace
});

it('finds a free port free, and leaves it free for the relay', async () => {
  const port = await holdPort();
  await new Promise((resolve) => holder!.close(resolve));
  holder = undefined;
  expect(await checkPortFree(port, '127.0.0.1')).toEqual({ free: true });
  expect(await checkPortFree(port, '127.0.0.1')).toEqual({ free: true }); // the probe closed its socket
});

it('takes PORT=0 as free without probing', async () => {
  expect(await checkPortFree(0, '127.0.0.1')).toEqual({ free: true });
});
