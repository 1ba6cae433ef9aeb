import { describe, expect, it } from 'vitest';
import type { HelloMessage } from '../../protocol';
import { StreamPosition } from './streamPosition';

const hello = (epoch: string, seq: number, gap?: boolean): HelloMessage => ({
  type: 'hello', protocol: 1, epoch, seq, now: 0, stations: [], viewers: 1, ...(gap ? { gap } : {}),
});

describe('StreamPosition', () => {
  it('asks for nothing before the first hello, then resumes after the last strike seen', () => {
    const position = new StreamPosition();
    expect(position.resumeQuery()).toBe('');
    expect(position.hello(hello('e1', 10))).toEqual({ kind: 'first' });
    expect(position.strike(11)).toBe('next');
    expect(position.strike(12)).toBe('next');
    expect(position.resumeQuery()).toBe('since=12&epoch=e1');
    expect(position.hello(hello('e1', 20))).toEqual({ kind: 'resumed' });
    expect(position.strike(13)).toBe('next');
  });

  it('drops duplicates and counts missing seqs', () => {
    const position = new StreamPosition();
    position.hello(hello('e1', 0));
    position.strike(1);
    expect(position.strike(1)).toBe('duplicate');
    expect(position.strike(4)).toBe('after_missing');
    expect(position.missing).toBe(2);
  });

  it('reports a new epoch and restarts numbering from its hello', () => {
    const position = new StreamPosition();
    position.hello(hello('e1', 500));
    const verdict = position.hello(hello('e2', 3));
    expect(verdict.kind).toBe('new_epoch');
    expect(position.strike(4)).toBe('next');
    expect(position.resumeQuery()).toBe('since=4&epoch=e2');
  });

  it('reports a gap with how many strikes were lost', () => {
    const position = new StreamPosition();
    position.hello(hello('e1', 100));
    const verdict = position.hello(hello('e1', 20_150, true));
    expect(verdict).toEqual({ kind: 'gap', notice: expect.stringContaining('20050') });
    expect(position.missing).toBe(20_050);
    expect(position.strike(20_151)).toBe('next');
  });
});
