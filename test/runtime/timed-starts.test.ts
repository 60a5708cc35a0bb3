/** The queue of timed starts both debugger hosts share: earliest first, ties in the order added, taken when due. */
import { describe, expect, it } from 'vitest';
import { TimedStarts } from '../../src/runtime/timed-starts.js';

const body = function* (): Generator<never, void, void> {};

describe('TimedStarts', () => {
  it('orders by time, ties in the order added, and gives a start only once it is due', () => {
    const q = new TimedStarts();
    for (const [name, at] of [
      ['late-1', 300],
      ['early', 100],
      ['late-2', 300],
      ['middle', 200],
      ['late-3', 300],
    ] as const)
      q.add({ name, at, body });
    expect(q.size).toBe(5);
    expect(q.first?.name).toBe('early');
    expect(q.takeDue(99)).toBeUndefined();
    const taken: string[] = [];
    for (const now of [100, 250, 300, 1000])
      for (let s = q.takeDue(now); s !== undefined; s = q.takeDue(now)) taken.push(`${s.name}@${now}`);
    expect(taken).toEqual(['early@100', 'middle@250', 'late-1@300', 'late-2@300', 'late-3@300']);
    expect(q.size).toBe(0);
  });

  it('forgets everything on clear', () => {
    const q = new TimedStarts();
    q.add({ name: 'a', at: 0, body });
    q.clear();
    expect([q.size, q.first, q.takeDue(Infinity)]).toEqual([0, undefined, undefined]);
  });
});
