/** The schedule file: a faithful round trip, and a one-line error for every malformed field. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_INVOCATIONS,
  ScheduleError,
  scheduleFromJson,
  scheduleToJson,
  type ScheduleFile,
} from '../../src/explore/schedule.js';

const schedule: fc.Arbitrary<ScheduleFile> = fc.record({
  format: fc.constant(2 as const),
  file: fc.string(),
  engines: fc.array(fc.string({ minLength: 1 }), { maxLength: 3 }),
  workload: fc.constantFrom('tiny', 'blocked-read'),
  semantics: fc.constantFrom('classic' as const, 'sticky-stop' as const),
  controls: fc.array(fc.string(), { maxLength: 3 }),
  invocations: fc.integer({ min: 1, max: 100 }),
  choices: fc.array(fc.nat({ max: 5 }), { maxLength: 40 }),
});

/** A well-formed schedule without `invocations`, for the tests to vary. */
const example: ScheduleFile = {
  format: 2,
  file: 'a.utr',
  engines: ['e'],
  workload: 'tiny',
  semantics: 'classic',
  controls: [],
  choices: [],
};

describe('schedule files', () => {
  it('round-trip, with trailing default choices dropped', () => {
    fc.assert(
      fc.property(schedule, (s) => {
        const back = scheduleFromJson(scheduleToJson(s));
        const trimmed = [...s.choices];
        while (trimmed.at(-1) === 0) trimmed.pop();
        expect(back).toEqual({ ...s, choices: trimmed });
      }),
    );
  });

  it('refuses malformed files with a message naming the field', () => {
    const good = JSON.parse(scheduleToJson({ ...example, invocations: 2, choices: [1] })) as Record<string, unknown>;
    const bad = (patch: Record<string, unknown>): string => {
      try {
        scheduleFromJson(JSON.stringify({ ...good, ...patch }));
        return 'accepted';
      } catch (error) {
        expect(error).toBeInstanceOf(ScheduleError);
        return (error as Error).message;
      }
    };
    expect(bad({ format: 3 })).toContain('format');
    // A file from before every scheduling point was one choice: a clear word instead of a different run.
    expect(bad({ format: 1 })).toBe(
      'schedule format 1 is from an older utrc, whose choices this one counts differently; run `utrc explore --save-schedule` again',
    );
    expect(bad({ invocations: 0 })).toContain('`invocations`');
    expect(bad({ semantics: 'barrier-2009' })).toContain('`semantics`');
    expect(bad({ choices: [-1] })).toContain('`choices`');
    expect(bad({ engines: 'e' })).toContain('`engines`');
    expect(() => scheduleFromJson('{')).toThrow(ScheduleError);
  });

  it('reads a file without `invocations` as the default, and always writes it', () => {
    const { invocations: _, ...rest } = JSON.parse(scheduleToJson(example)) as Record<string, unknown>;
    expect(_).toBe(DEFAULT_INVOCATIONS);
    expect(scheduleFromJson(JSON.stringify(rest)).invocations).toBe(DEFAULT_INVOCATIONS);
  });
});
