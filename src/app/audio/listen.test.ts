import { describe, expect, it, vi } from 'vitest';
import { createLiveStore } from '../store/liveStore';
import type { StrikeOutput } from '../rhythm/strikeRouter';
import { fakeAudioEngine } from '../../../test/support/fakeAudioEngine';
import { createListenHandler } from './listen';

describe('the Listen handler', () => {
  it('calls unlockAudio synchronously, inside the click, before anything async', () => {
    const store = createLiveStore();
    const { engine } = fakeAudioEngine();
    const unlockAudio = vi.fn(() => Promise.resolve(engine));
    const handler = createListenHandler({ store, router: { outputs: new Set() }, unlockAudio });
    handler();
    // Still inside the same synchronous turn as the click:
    expect(unlockAudio).toHaveBeenCalledTimes(1);
    expect(store.getState().audio).toBe('starting');
  });

  it('once the engine is up, plays strikes and follows mute and volume', async () => {
    const store = createLiveStore();
    const { engine, played } = fakeAudioEngine();
    const outputs = new Set<StrikeOutput>();
    createListenHandler({ store, router: { outputs }, unlockAudio: () => Promise.resolve(engine) })();
    await vi.waitFor(() => expect(store.getState().audio).toBe('on'));
    for (const output of outputs) output.strike('a', 2, 0.5, 123, 100);
    expect(played).toEqual([{ station: 'a', chime: 2, v: 0.5, at: 123 }]);
    store.getState().setMuted(true);
    store.getState().setVolume(0.25);
    expect(engine.setMuted).toHaveBeenLastCalledWith(true);
    expect(engine.setVolume).toHaveBeenLastCalledWith(0.25);
  });

  it('a second click while starting does not unlock twice; a failure is shown', async () => {
    const store = createLiveStore();
    const unlockAudio = vi.fn(() => Promise.reject(new Error('no audio device')));
    const handler = createListenHandler({ store, router: { outputs: new Set() }, unlockAudio });
    handler();
    handler();
    expect(unlockAudio).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(store.getState().audio).toBe('failed'));
    expect(store.getState().audioError).toContain('no audio device');
  });
});
