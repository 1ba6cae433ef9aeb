// Hides the mouse pointer once it has been still for CURSOR_HIDE_AFTER_MS; any movement shows it.

export const CURSOR_HIDE_AFTER_MS = 3_000;
/** Class on the element while the pointer is hidden (see kiosk.css). */
export const CURSOR_HIDDEN_CLASS = 'cursor-hidden';

export function hideIdleCursor(element: HTMLElement, hideAfterMs = CURSOR_HIDE_AFTER_MS): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const moved = () => {
    element.classList.remove(CURSOR_HIDDEN_CLASS);
    clearTimeout(timer);
    timer = setTimeout(() => element.classList.add(CURSOR_HIDDEN_CLASS), hideAfterMs);
  };
  element.addEventListener('pointermove', moved);
  element.addEventListener('pointerdown', moved);
  moved();
  return () => {
    clearTimeout(timer);
    element.removeEventListener('pointermove', moved);
    element.removeEventListener('pointerdown', moved);
    element.classList.remove(CURSOR_HIDDEN_CLASS);
  };
}
