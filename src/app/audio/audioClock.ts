// Maps page time (performance.now() ms) to audio-clock seconds. The audio clock advances in
// chunks, so reading it per note would bunch notes that were meant apart; a stable offset keeps
// the spacing the jitter buffer chose, exactly. Pure.

/** If the audio clock falls this far behind the offset (a stall, a suspend), resynchronise. */
export const CLOCK_RESYNC_MS = 20;

export class AudioClock {
  private offsetS: number | undefined;

  /** Feed one reading of the audio clock and the page clock taken together. */
  sample(contextTimeS: number, perfNowMs: number): void {
    const offset = contextTimeS - perfNowMs / 1000;
    // The freshest chunk gives the largest offset; a much smaller one means the audio clock slipped.
    if (this.offsetS === undefined || offset > this.offsetS || this.offsetS - offset > CLOCK_RESYNC_MS / 1000) {
      this.offsetS = offset;
    }
  }

  /** Audio time at which a note meant for page time `atMs` sounds; never earlier than now + lookAhead. */
  toAudioS(atMs: number, perfNowMs: number, lookAheadS: number): number {
    return (Math.max(atMs, perfNowMs) / 1000) + (this.offsetS ?? 0) + lookAheadS;
  }
}
