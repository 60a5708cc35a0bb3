import { describe, expect, it } from 'vitest';
import {
  oneOf,
  parseArchOption,
  parseCommandArgs,
  parseIntOption,
  parsePositiveOption,
  parseSeed,
  requireInput,
  shouldColor,
} from '../../src/cli/args.js';
import { HelpRequested, UsageError } from '../../src/cli/command.js';

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

  it('asks for help on -h or --help anywhere among the options, also in a group of short ones', () => {
    for (const args of [['--help'], ['-h'], ['a.utr', '--format', 'json', '--help'], ['-qh']])
      expect(() => parseCommandArgs('check', args, options), args.join(' ')).toThrow(HelpRequested);
  });

  it('does not take --help after `--` or as the value of an option, and reports a bad option first', () => {
    expect(parseCommandArgs('check', ['--', '--help'], options).positionals).toEqual(['--help']);
    expect(parseCommandArgs('check', ['--format=--help'], options).values.format).toBe('--help');
    expect(() => parseCommandArgs('check', ['--frobnicate', '--help'], options)).toThrow(UsageError);
  });
});

describe('requireInput', () => {
  it('takes -e PROGRAM or files, and says which are wanted when given both or neither', () => {
    expect(() => requireInput('check', undefined, ['a.utr', 'b.utr'], { files: true })).not.toThrow();
    expect(() => requireInput('run', 'engine e {}', [], { files: false })).not.toThrow();
    expect(() => requireInput('check', 'engine e {}', ['a.utr'], { files: true })).toThrow(
      "give either -e PROGRAM or files, not both (see 'utrc check --help')",
    );
    expect(() => requireInput('run', undefined, [], { files: false })).toThrow(
      "no input: name a .utr file, '-' for standard input, or -e PROGRAM (see 'utrc run --help')",
    );
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

describe('parseArchOption', () => {
  it('leaves an absent --arch absent and checks a given one', () => {
    expect(parseArchOption(undefined)).toBeUndefined();
    expect(parseArchOption('aarch64')).toBe('aarch64');
    expect(() => parseArchOption('mips')).toThrow('`--arch` must be one of `x86_64`, `aarch64`, not `mips`');
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

describe('numeric options', () => {
  it('takes whole numbers in range and names the option and the range otherwise', () => {
    expect(parseIntOption('bound', '3', 0, 100)).toBe(3);
    expect(parseIntOption('bound', '0', 0, 100)).toBe(0);
    for (const bad of ['-1', '1.5', '0x10', '', ' 3', '101', '1e2'])
      expect(() => parseIntOption('bound', bad, 0, 100)).toThrow(
        new UsageError(`\`--bound\` must be an integer from 0 to 100, not \`${bad}\``),
      );
  });

  it('seeds are 32-bit', () => {
    expect(parseSeed('4294967295')).toBe(4294967295);
    expect(() => parseSeed('4294967296')).toThrow('`--seed` must be an integer from 0 to 4294967295, not `4294967296`');
  });

  it('takes positive decimals up to the maximum, with the unit in the message', () => {
    expect(parsePositiveOption('budget', '0.5', 86400, 'seconds')).toBe(0.5);
    expect(() => parsePositiveOption('budget', '0', 86400, 'seconds')).toThrow(
      '`--budget` must be a number of seconds above 0 and at most 86400, not `0`',
    );
    expect(() => parsePositiveOption('scale', '1001', 1000)).toThrow(
      '`--scale` must be a number above 0 and at most 1000, not `1001`',
    );
    expect(() => parsePositiveOption('scale', 'NaN', 1000)).toThrow(UsageError);
  });
});
