/// <reference types="vitest/config" />
// Page build + dev server, and the test projects: `unit` (pure code and real loopback sockets)
// and `e2e` (real headless Chromium against a real relay serving the built page).
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { relayDevPlugin } from './scripts/relayDevPlugin.ts';

const relayPort = Number(process.env.RELAY_DEV_PORT ?? 8787);

export default defineConfig(({ command }) => ({
  plugins: [react(), ...(command === 'serve' && !process.env.VITEST ? [relayDevPlugin(relayPort)] : [])],
  build: { outDir: 'dist', sourcemap: true, chunkSizeWarningLimit: 800 },
  server: {
    proxy: {
      '/live': { target: `ws://127.0.0.1:${relayPort}`, ws: true },
      '/touch': { target: `ws://127.0.0.1:${relayPort}`, ws: true },
      '/api': { target: `http://127.0.0.1:${relayPort}` },
    },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.ts', 'bench/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['e2e/buildOnce.ts'],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
}));
