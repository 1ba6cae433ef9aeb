// Keys 1-9 play chimes 1-9, as in artist mode: the one rule of which key press is a visitor's touch. Pure.
import type { Station } from '../../protocol';

/** The chime keys 1-9 strike at `station`, or null when the key is not one (typing, modifiers, repeats, too few chimes). */
export function chimeOfKey(
  event: Pick<KeyboardEvent, 'key' | 'altKey' | 'ctrlKey' | 'metaKey' | 'repeat'> & { target: EventTarget | null },
  station: Pick<Station, 'chimes'>,
): number | null {
  if (event.altKey || event.ctrlKey || event.metaKey || event.repeat) return null;
  const target = event.target as { closest?: (selector: string) => unknown } | null;
  if (target?.closest?.('input, select, textarea, [contenteditable]')) return null;
  if (!/^[1-9]$/.test(event.key)) return null;
  const chime = Number(event.key) - 1;
  return chime < station.chimes ? chime : null;
}
