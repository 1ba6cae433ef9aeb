// A device resends every strike the relay has not acknowledged after a cut (firmware/core/
// strikeOutbox.h), and a cut can fall between the relay taking a frame and the device hearing so:
// without more, that frame would be heard twice. A marked frame (`#<boot>/<position>` first,
// docs/protocol.md "Resends") numbers its strikes; per station the relay remembers the position just
// past the last strike it took in that boot of the device and skips any strike before it. Skipped
// strikes were taken before (played, rate-limited or muted then): nothing is lost, nothing doubled.
import { RESEND_POSITION_MAX, type DeviceStrike, type ResendMark } from '../../protocol';
import type { ResendState } from '../stations/stationRegistry';

const POSITIONS = RESEND_POSITION_MAX + 1;

/** b - a on the wrapping 32-bit counter, as a signed distance. */
function distance(a: number, b: number): number {
  const forward = (b - a + POSITIONS) % POSITIONS;
  return forward >= POSITIONS / 2 ? forward - POSITIONS : forward;
}

/**
 * The strikes of a frame not taken before from this station, and the station's state after
 * taking them. An unmarked frame is taken whole, and so is the first of another boot.
 */
export function skipResent(
  state: ResendState | null,
  mark: ResendMark | undefined,
  strikes: readonly DeviceStrike[],
): { strikes: readonly DeviceStrike[]; state: ResendState | null } {
  if (!mark) return { strikes, state };
  const end = (mark.position + strikes.length) % POSITIONS;
  if (!state || state.boot !== mark.boot) return { strikes, state: { boot: mark.boot, next: end } };
  const taken = Math.min(strikes.length, Math.max(0, distance(mark.position, state.next)));
  return { strikes: taken > 0 ? strikes.slice(taken) : strikes, state: distance(state.next, end) > 0 ? { boot: mark.boot, next: end } : state };
}
