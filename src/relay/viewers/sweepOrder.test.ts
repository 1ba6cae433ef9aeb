import { describe, expect, it } from 'vitest';
import { SweepOrder } from './sweepOrder';

interface Slot {
  name: string;
  index: number;
}

/** Each slot's name with the log position and bare descriptor stored at its index. */
const rows = (order: SweepOrder<Slot>) =>
  Array.from({ length: order.length }, (_, index) => {
    const slot = order.at(index);
    return slot ? [slot.name, slot.index, order.sentUpTo[index], order.bareFd[index]] : ['hole', index, order.sentUpTo[index], order.bareFd[index]];
  });

function filled(count: number) {
  const order = new SweepOrder<Slot>();
  const slots = Array.from({ length: count }, (_, i) => ({ name: `s${i}`, index: -1 }));
  slots.forEach((slot, i) => {
    order.push(slot, 100 + i);
    order.bareFd[slot.index] = 10 + i;
  });
  return { order, slots };
}

describe('SweepOrder', () => {
  it('keeps each target with its own log position and descriptor as it grows past its first capacity', () => {
    const { order } = filled(200);
    expect(order.length).toBe(200);
    expect(rows(order)[150]).toEqual(['s150', 150, 250, 160]);
  });

  it('between sweeps, the last target takes a removed one’s place, with its own numbers', () => {
    const { order, slots } = filled(4);
    order.remove(slots[1]!, false);
    expect(rows(order)).toEqual([
      ['s0', 0, 100, 10],
      ['s3', 1, 103, 13],
      ['s2', 2, 102, 12],
    ]);
  });

  it('during a sweep a removed target leaves a hole (never written bare), closed up after in order', () => {
    const { order, slots } = filled(5);
    order.remove(slots[1]!, true);
    order.remove(slots[3]!, true);
    expect(rows(order)[1]).toEqual(['hole', 1, 101, -1]);
    expect(order.targets().map((slot) => slot.name)).toEqual(['s0', 's2', 's4']);
    order.compact();
    expect(rows(order)).toEqual([
      ['s0', 0, 100, 10],
      ['s2', 1, 102, 12],
      ['s4', 2, 104, 14],
    ]);
    expect(order.bareFd[3]).toBe(-1); // past the end: nothing left armed
  });
});
