import { describe, expect, it } from 'vitest';
import { oneOf, parseCommandArgs, shouldColor } from '../../src/cli/args.js';
import { UsageError } from '../../src/cli/command.js';

describe('parseCommandArgs', () => {
  const options = { format: { type: 'string' }, quiet: { type: 'boolean', short: 'q' } } as const;

  it('reads options and positionals', () => {
    const { values, positionals } = parseCommandArgs('check', ['--format', 'json', '-q', 'a.utr'], options);
    expect(values).toEqual({ format: 'json', quiet: true });
    expect(positionals).toEqual(['a.utr']);
  });

  it('turns an unknown option into a one-line usage error that names it', () => {
    expect(() => parseCommandArgs('check', ['--frobnicate'], options)).toThrow(UsageError);
    expect(() => parseCommandArgs('check', ['--frobnicate'], options)).toThrow(
      "unknown option `--frobnicate` (see 'utrc check --help')",
    );
  });

  it('says which option lacks its value', () => {
    expect(() => parseCommandArgs('check', ['--format'], options)).toThrow('option `--format` needs a value');
  });
});

describe('oneOf', () => {
  it('accepts a listed value and names the choices otherwise', () => {
    expect(oneOf('format', 'json', ['text', 'json'])).toBe('json');
    expect(() => oneOf('format', 'xml', ['text', 'json'])).toThrow(
      '`--format` must be one of `text`, `json`, not `xml`',
    );
  });
});

describe('shouldColor', () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };

  it('colours a terminal in auto mode, never a pipe', () => {
    expect(shouldColor('auto', tty, {})).toBe(true);
    expect(shouldColor('auto', pipe, {})).toBe(false);
  });

  it('honours NO_COLOR (when not empty) and TERM=dumb in auto mode', () => {
    expect(shouldColor('auto', tty, { NO_COLOR: '1' })).toBe(false);
    expect(shouldColor('auto', tty, { NO_COLOR: '' })).toBe(true);
    expect(shouldColor('auto', tty, { TERM: 'dumb' })).toBe(false);
  });

  it('lets an explicit --color always/never win over the environment', () => {
    expect(shouldColor('always', pipe, { NO_COLOR: '1' })).toBe(true);
    expect(shouldColor('never', tty, {})).toBe(false);
  });
});
