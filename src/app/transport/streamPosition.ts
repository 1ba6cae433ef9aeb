// Where we are in the relay's strike stream (epoch + last seq), so a reconnect resumes exactly
// after the last strike we saw, and a restart or a gap is noticed and reported, never hidden.
import type { HelloMessage } from '../../protocol';

export type HelloVerdict =
  | { kind: 'first' }
  | { kind: 'resumed' }
  | { kind: 'new_epoch'; notice: string }
  | { kind: 'gap'; notice: string };

export type StrikeVerdict = 'next' | 'duplicate' | 'after_missing';

export class StreamPosition {
  epoch: string | null = null;
  lastSeq: number | null = null;
  /** Strikes the relay numbered but we never received (only counted, never invented). */
  missing = 0;

  /** Query string for the next connection: `since` + `epoch` once we have seen a hello. */
  resumeQuery(): string {
    if (this.epoch === null || this.lastSeq === null) return '';
    return `since=${this.lastSeq}&epoch=${encodeURIComponent(this.epoch)}`;
  }

  hello(hello: HelloMessage): HelloVerdict {
    const previous = this.epoch;
    this.epoch = hello.epoch;
    if (previous === null || this.lastSeq === null) {
      this.lastSeq = hello.seq;
      return { kind: 'first' };
    }
    if (previous !== hello.epoch) {
      this.lastSeq = hello.seq;
      return { kind: 'new_epoch', notice: 'The relay restarted: strikes from while it was down are lost.' };
    }
    if (hello.gap) {
      const missed = Math.max(0, hello.seq - this.lastSeq);
      this.missing += missed;
      this.lastSeq = hello.seq;
      return { kind: 'gap', notice: `Missed ${missed} strikes while disconnected (more than the relay keeps).` };
    }
    return { kind: 'resumed' };
  }

  strike(seq: number): StrikeVerdict {
    const last = this.lastSeq ?? seq - 1;
    if (seq <= last) return 'duplicate';
    this.lastSeq = seq;
    if (seq === last + 1) return 'next';
    this.missing += seq - last - 1;
    return 'after_missing';
  }
}
