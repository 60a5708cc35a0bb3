/**
 * A fast-check grammar of well-typed `.utr` programs: states of every storable kind under names that mean
 * something to JavaScript (`constructor`, `__proto__`, `this`…), handlers for every event that update them, emits
 * with hostile text, controls with a matched `stop`, and timers.
 */
import fc from 'fast-check';

/** Names that are ordinary `.utr` identifiers but special in JavaScript or in generated code. */
export const HOSTILE_NAMES = [
  'constructor',
  '__proto__',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'this',
  'delete',
  'class',
  'new',
  'function',
  'default',
  'arguments',
  'eval',
  'undefined',
  'NaN',
  'Object',
  'BigInt',
  'Number',
  'show',
  'SOURCE',
  'ctx',
  'ctl',
  'action',
  'Action',
  'Event',
  'host',
] as const;

/** The state kinds the grammar uses, with an update step and an interpolation-safe read. */
const KINDS = {
  int: { type: 'int', update: (x: string) => `set ${x} = ${x} + 1` },
  count: { type: 'count', update: (x: string) => `${x} += 1` },
  bool: { type: 'bool', update: (x: string) => `set ${x} = not ${x}` },
  string: { type: 'string', update: (x: string) => `set ${x} = "s"` },
  duration: { type: 'duration', update: (x: string) => `set ${x} = ${x} + 1ms` },
  list: { type: 'list<int>', update: (x: string) => `append 1 to ${x}` },
  hist: { type: 'hist', update: (x: string) => `append 7 to ${x}` },
  counts: { type: 'map<syscall, count>', update: (x: string) => `${x}[openat] += 1` },
  names: { type: 'map<int, string>', update: (x: string) => `set ${x}[1] = "a"` },
} as const;

const EVENTS = ['syscall_entry', 'syscall_exit', 'signal', 'exec', 'clone', 'exit', 'quiesce', 'jctl'] as const;

/** Encodes any string as a `.utr` string literal body (escapes for quotes, braces, backslashes, non-ASCII). */
export function utrString(text: string): string {
  let out = '';
  for (const c of text) {
    const cp = c.codePointAt(0) ?? 0;
    if (c === '"' || c === '\\' || c === '{' || c === '}') out += `\\${c}`;
    else if (c === '\n') out += '\\n';
    else if (cp < 0x20 || cp > 0x7e) out += `\\u{${cp.toString(16)}}`;
    else out += c;
  }
  return out;
}

/** Text that tries every way out of a string literal or a comment. */
export const HOSTILE_TEXTS = [
  'quote " and \' and ` backtick',
  '${process.exit(1)} and `${x}`',
  'end of comment */ and /* start',
  'line\nbreak and \u2028 line separator and \u2029 paragraph separator',
  '\\ backslash \\n not a newline',
  '</script><!-- -->',
  'nul \u0000 and bell \u0007 and del \u007f',
  'unicode ünïcödé 🙂 and \u{1F600}',
  '"); process.exit(1); ("',
] as const;

/** The reserved words of `.utr` (language-decisions.md), which cannot be names. */
const KEYWORDS = new Set(
  (
    'arch engine state on when do then control every fetch into set append to emit attach events barrier nothing ' +
    'if else match abort fate assert await within in and or not true false stop interrupt report singlestep ' +
    'blockstep resume detach'
  ).split(' '),
);

/** A well-typed program. */
export function wellTypedProgram(): fc.Arbitrary<string> {
  const kind = fc.constantFrom(...(Object.keys(KINDS) as (keyof typeof KINDS)[]));
  const name = fc.oneof(
    fc.constantFrom(...HOSTILE_NAMES),
    fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/).filter((n) => !KEYWORDS.has(n) && n !== 'task' && n !== 'regs'),
  );
  const states = fc.uniqueArray(fc.record({ name, kind }), { minLength: 1, maxLength: 6, selector: (s) => s.name });
  return fc
    .record({
      engine: fc.constantFrom('e', 'constructor', '__proto__', 'big_int', 'object'),
      states,
      handlers: fc.array(
        fc.record({
          event: fc.constantFrom(...EVENTS),
          text: fc.constantFrom(...HOSTILE_TEXTS),
          guard: fc.boolean(),
          target: fc.nat(),
        }),
        { minLength: 1, maxLength: 4 },
      ),
      control: fc.option(name, { nil: undefined }),
      timer: fc.boolean(),
    })
    .map(({ engine, states, handlers, control, timer }) => {
      const lines = [`engine ${engine} {`];
      for (const s of states) lines.push(`  state ${s.name}: ${KINDS[s.kind].type}`);
      const pick = (i: number): { name: string; kind: keyof typeof KINDS } =>
        states[i % states.length] as { name: string; kind: keyof typeof KINDS };
      const ints = states.filter((s) => s.kind === 'int' || s.kind === 'count');
      for (const h of handlers) {
        const s = pick(h.target);
        const guard = h.guard && ints[0] ? ` when ${ints[0].name} >= 0` : '';
        const binding = h.event === 'quiesce' ? '' : '(p)';
        lines.push(
          `  on ${h.event}${binding}${guard} do ${KINDS[s.kind].update(s.name)} then emit "${utrString(h.text)} {${s.kind === 'hist' || s.kind === 'list' || s.kind === 'counts' || s.kind === 'names' ? `len(${s.kind === 'hist' ? 'p' : s.name})` : s.name}}" then resume`.replace(
            'len(p)',
            '1',
          ),
        );
      }
      if (control) {
        lines.push(
          `  control ${control} do stop match {`,
          `    stopped => ${KINDS[pick(0).kind].update(pick(0).name)} then resume`,
          `    pending, gone => nothing`,
          `  }`,
        );
      }
      if (timer) lines.push(`  every 1ms do ${KINDS[pick(1).kind].update(pick(1).name)}`);
      lines.push('}');
      return lines.join('\n');
    });
}
