// Two-way binding between tweakpane controls and the store: each control reads its value from the
// state and writes a change back through a store action, so whatever else changes the store (a
// preset, a key, another control) shows in the panel on the next refresh.
import type { BindingApi, BindingParams, FolderApi } from '@tweakpane/core';
import type { LiveState, LiveStore } from '../store/liveStore';

export interface KnobOptions {
  /** Write only when the control is released (for knobs whose every change costs: the reverb room). */
  onRelease?: boolean;
}

export class PaneBinder {
  private readonly params: Record<string, unknown> = {};
  private readonly reads = new Map<string, (state: LiveState) => unknown>();
  private readonly apis = new Set<BindingApi>();
  private syncing = false;
  private nextId = 0;

  constructor(private readonly store: LiveStore) {}

  bind<T>(
    folder: Pick<FolderApi, 'addBinding'>,
    label: string,
    read: (state: LiveState) => T,
    write: (value: T) => void,
    params: BindingParams = {},
    options: KnobOptions = {},
  ): BindingApi {
    const key = `k${this.nextId++}`;
    this.params[key] = read(this.store.getState());
    this.reads.set(key, read);
    const api = folder.addBinding(this.params, key, { label, ...params });
    api.on('change', (event) => {
      if (this.syncing || (options.onRelease && !event.last)) return;
      write(event.value as T);
    });
    this.apis.add(api);
    return api;
  }

  /** Remove a control made by bind() (dynamic parts of the panel are rebuilt). */
  unbind(api: BindingApi): void {
    this.reads.delete(api.key);
    delete this.params[api.key];
    this.apis.delete(api);
    api.dispose();
  }

  /** Pull every bound value from the state and show it, without echoing writes back. */
  sync(state: LiveState = this.store.getState()): void {
    this.syncing = true;
    try {
      for (const [key, read] of this.reads) this.params[key] = read(state);
      for (const api of this.apis) api.refresh();
    } finally {
      this.syncing = false;
    }
  }
}
