// Browser tests run against the built page served by a real relay: build it once per run.
import { build } from 'vite';

export default async function buildOnce(): Promise<void> {
  // Test what visitors get: vitest sets NODE_ENV=test, which would bundle React's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ logLevel: 'warn', mode: 'production' });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
