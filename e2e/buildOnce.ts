// Browser tests run against the built page served by a real relay: build it once per run.
import { build } from 'vite';

export default async function buildOnce(): Promise<void> {
  await build({ logLevel: 'warn' });
}
