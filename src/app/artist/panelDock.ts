// Where the artist's panel sits: docked (its own column at the right edge; the page, station list
// included, shrinks to make room, so the panel covers nothing) or floating over the map's top left
// corner. A button on the panel switches; the choice is remembered in this browser.

export const PANEL_DOCK_STORAGE_KEY = 'aeolian.artist.dock';
export type PanelDock = 'docked' | 'floating';

export function dockPanel(container: HTMLElement, storage: Pick<Storage, 'getItem' | 'setItem'> | null): () => void {
  const root = document.documentElement;
  const toggle = document.createElement('button');
  toggle.type = 'button';
  toggle.className = 'artist-dock';
  toggle.dataset.testid = 'artist-dock';
  container.prepend(toggle);

  const show = (dock: PanelDock) => {
    root.dataset.artistPanel = dock;
    toggle.textContent = dock === 'docked' ? '⇱ float over the map' : '⇥ dock at the side';
    toggle.setAttribute('aria-label', dock === 'docked' ? 'Float the artist panel over the map' : 'Dock the artist panel at the side of the page');
  };
  let dock: PanelDock = readDock(storage);
  show(dock);
  toggle.addEventListener('click', () => {
    dock = dock === 'docked' ? 'floating' : 'docked';
    show(dock);
    try {
      storage?.setItem(PANEL_DOCK_STORAGE_KEY, dock);
    } catch {
      // storage refused: the choice lasts for this visit
    }
  });
  return () => {
    delete root.dataset.artistPanel;
    toggle.remove();
  };
}

function readDock(storage: Pick<Storage, 'getItem'> | null): PanelDock {
  try {
    return storage?.getItem(PANEL_DOCK_STORAGE_KEY) === 'floating' ? 'floating' : 'docked';
  } catch {
    return 'docked';
  }
}
