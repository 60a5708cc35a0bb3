import { describe, expect, it } from 'vitest';
import { parseClean } from './helpers.js';

describe('on quiesce do fetch regs then resume', () => {
  it('parses as written: a quiesce handler whose steps are a register fetch then resume', () => {
    const text = 'engine e { on quiesce do fetch regs then resume }';
    const { program } = parseClean(text);
    expect(program).toEqual({
      kind: 'Program',
      span: { start: 0, end: 49 },
      engines: [
        {
          kind: 'Engine',
          span: { start: 0, end: 49 },
          name: { kind: 'Ident', span: { start: 7, end: 8 }, name: 'e' },
          members: [
            {
              kind: 'Handler',
              span: { start: 11, end: 47 },
              event: { kind: 'Ident', span: { start: 14, end: 21 }, name: 'quiesce' },
              body: {
                kind: 'Block',
                span: { start: 25, end: 47 },
                steps: [
                  { kind: 'FetchStep', span: { start: 25, end: 35 }, what: 'regs' },
                  { kind: 'ActionStep', span: { start: 41, end: 47 }, action: 'resume' },
                ],
              },
            },
          ],
        },
      ],
    });
  });
});
