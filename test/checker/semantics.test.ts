import { describe, expect, it } from 'vitest';
import { checkSource, SEM } from '../../src/checker/index.js';
import type { CheckedProgram } from '../../src/checker/index.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import type { Expr, NameExpr, Node } from '../../src/parser/ast.js';

function checkText(text: string, arch?: string): CheckedProgram {
  return checkSource(new SourceFile('t.utr', text), arch === undefined ? {} : { arch });
}

function codes(c: CheckedProgram): string[] {
  return c.diagnostics.map((d) => d.code);
}

/** Every node of a kind, in source order, found by walking the tree generically. */
function nodes<K extends Node['kind']>(root: unknown, kind: K): Extract<Node, { kind: K }>[] {
  const out: Extract<Node, { kind: K }>[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      if ((v as { kind?: unknown }).kind === kind) out.push(v as Extract<Node, { kind: K }>);
      for (const [k, child] of Object.entries(v)) if (k !== 'span') walk(child);
    }
  };
  walk(root);
  return out.sort((a, b) => a.span.start - b.span.start);
}

/** The expression whose source text is exactly `text`. */
function exprAt(c: CheckedProgram, text: string): Expr {
  const kinds = ['NameExpr', 'FieldExpr', 'IndexExpr', 'BinaryExpr', 'CallExpr', 'StringLit', 'DurationLit'] as const;
  for (const k of kinds) {
    for (const e of nodes(c.program, k)) if (c.source.text.slice(e.span.start, e.span.end) === text) return e as Expr;
  }
  throw new Error(`no expression \`${text}\``);
}

function namesCalled(c: CheckedProgram, name: string): NameExpr[] {
  return nodes(c.program, 'NameExpr').filter((n) => n.name.name === name);
}

describe('types of expressions', () => {
  const c = checkText(`
engine e {
  state m: map<syscall, count>
  state d: duration = 2 * 10ms
  on syscall_exit(call) do emit "{call.arg[1]} {call.ret} {len(m)} {hex(call.nr)}" then resume
  on quiesce(q) when q.event == syscall_exit do fetch regs then emit "{regs.rip + 1}" then resume
}`);

  it('checks clean', () => expect(c.diagnostics).toEqual([]));

  it.each([
    ['call.arg[1]', 'int'],
    ['call.ret', 'int'],
    ['call.nr', 'syscall'],
    ['len(m)', 'int'],
    ['hex(call.nr)', 'string'],
    ['q.event', 'event'],
    ['regs.rip + 1', 'int'],
    ['2 * 10ms', 'duration'],
  ])('types `%s` as %s', (text, kind) => {
    expect(c.typeOf(exprAt(c, text)).kind).toBe(kind);
  });

  it('types the binding as its event payload', () => {
    const t = c.typeOf(namesCalled(c, 'q')[0] as Expr);
    expect(t).toEqual({ kind: 'payload', event: 'quiesce' });
  });
});

describe('types of names', () => {
  // The checker keeps a name's type with its symbol and stores only the cases where they differ; every kind of name,
  // and every way a resolved name can still be an error, must come out as before.
  const c = checkText(`
engine e {
  state hits: count
  state early: int = hits
  on quiesce(q) when q.event == exit do emit "{regs.rip}" then fetch regs then emit "{regs.rip} {task.pid}" then resume
  on syscall_entry(call) when call.nr == openat and stopped == 1 do hits += 1 then resume
  on signal(sig) when sig.signo == SIGSEGV do emit "{nosuch}" then resume
  control bump(n: int) do hits += n
}`);
  const kinds = (name: string): string[] => namesCalled(c, name).map((e) => c.typeOf(e).kind);

  it('reports the errors it types as `error`', () => {
    const expected = [SEM.unknownName, SEM.regsNotFetched, SEM.statusOutsideMatch, SEM.invalidInitialiser];
    expect(codes(c).sort()).toEqual(expected.map((k) => k.code).sort());
  });

  it.each([
    ['hits', ['error', 'count', 'count']],
    ['regs', ['error', 'regs']],
    ['task', ['task']],
    ['q', ['payload']],
    ['exit', ['event']],
    ['call', ['payload']],
    ['openat', ['syscall']],
    ['stopped', ['error']],
    ['sig', ['payload']],
    ['SIGSEGV', ['signal']],
    ['nosuch', ['error']],
    ['n', ['int']],
  ])('types each use of `%s` in source order as %j', (name, expected) => {
    expect(kinds(name)).toEqual(expected);
  });
});

describe('name resolution', () => {
  const c = checkText(`
engine e {
  state hits: count
  on quiesce(q) when q.event == exit do resume
  on syscall_entry(call) when call.nr == exit do hits += 1 then resume
  on signal(sig) when sig.signo == SIGSEGV do resume
  control bump(n: int) do hits += n then stop match {
    stopped => resume
    _ => nothing
  }
}`);

  it('reads `exit` as the event beside `q.event` and as the syscall beside `call.nr`', () => {
    const [asEvent, asSyscall] = namesCalled(c, 'exit');
    expect(c.symbolOf(asEvent as NameExpr)).toEqual({ kind: 'event', name: 'exit' });
    expect(c.symbolOf(asSyscall as NameExpr)).toEqual({ kind: 'syscall', name: 'exit', nr: 60 });
  });

  it('resolves signals, state, bindings, parameters and statuses', () => {
    expect(c.symbolOf(namesCalled(c, 'SIGSEGV')[0] as NameExpr)).toEqual({
      kind: 'signal',
      name: 'SIGSEGV',
      signo: 11,
    });
    expect(c.symbolOf(namesCalled(c, 'hits')[0] as NameExpr)?.kind).toBe('state');
    expect(c.symbolOf(namesCalled(c, 'call')[0] as NameExpr)?.kind).toBe('binding');
    expect(c.symbolOf(namesCalled(c, 'n')[0] as NameExpr)?.kind).toBe('param');
    const stopped = nodes(c.program, 'NamePattern')[0];
    expect(stopped && c.symbolOf(stopped)).toEqual({ kind: 'status', name: 'stopped' });
  });

  it('resolves syscalls against the file arch, which wins over the option', () => {
    const text = 'arch aarch64\nengine e { on syscall_entry(call) when call.nr == open do resume }';
    const aarch = checkText(text, 'x86_64');
    expect(aarch.arch.name).toBe('aarch64');
    expect(aarch.diagnostics.map((d) => d.message)).toEqual(['cannot find `open` in this scope']);
    expect(codes(checkText(text.replace('arch aarch64\n', ''), 'aarch64'))).toEqual(['UTR2011']);
    expect(codes(checkText(text.replace('arch aarch64\n', ''), 'x86_64'))).toEqual([]);
  });

  it('suggests the closest state, signal and syscall', () => {
    const labels = checkText(`
engine e {
  state opened: count
  on syscall_entry(call) when call.nr == opneat do opend += 1 then resume
  on signal(s) when s.signo == SIGSGEV do resume
}`).diagnostics.map((d) => d.label);
    expect(labels).toEqual(['did you mean `openat`?', 'did you mean `opened`?', 'did you mean `SIGSEGV`?']);
  });
});

describe('suggestions that fit the position', () => {
  it('offers the map for an index and the binding for a field', () => {
    const c = checkText(`
engine e {
  state calls: map<syscall, count>
  on syscall_entry(call) do cals[cal.nr] += 1 then resume
}`);
    expect(c.diagnostics.map((d) => d.fix?.edits[0]?.newText)).toEqual(['calls', 'call']);
  });
});

describe('engine structure', () => {
  const c = checkText(`
engine e {
  state flag: bool
  on attach do set flag = true
  on exec when flag do set flag = false then resume
  on exec do resume
  on exit do resume
  on exec do stop
  every 250ms do if flag { nothing }
  control peek do nothing
}`);
  const e = c.engines[0];

  it('groups handlers by event in source order and marks the shadowed one', () => {
    expect(e?.handlers.map((g) => [g.event, g.handlers.map((h) => h.reachable)])).toEqual([
      ['attach', [true]],
      ['exec', [true, true, false]],
      ['exit', [true]],
    ]);
    expect(codes(c)).toEqual(['UTR2036']);
  });

  it('subscribes to the utrace events it handles, not to its own attach', () => {
    expect(e?.subscribedEvents).toEqual(['exec', 'exit']);
  });

  it('places each piece of code on its side', () => {
    const [attach, exec] = [e?.handlersFor('attach')[0], e?.handlersFor('exec')[0]];
    expect(attach?.context).toBe('control');
    expect(exec?.context).toBe('handler');
    expect(e?.contextOf(e.controls[0]!.node)).toBe('control');
    expect(e?.contextOf(e.timers[0]!.node)).toBe('control');
    expect(e?.timers[0]?.periodNanos).toBe(250_000_000n);
  });

  it('records which side reads and writes each state', () => {
    const uses = e?.stateByName.get('flag')?.uses.map((u) => `${u.context}:${u.access}`);
    expect(uses).toEqual(['control:write', 'handler:read', 'handler:write', 'control:read']);
  });
});

describe('state uses', () => {
  it('lists reads before the write they feed, in execution order', () => {
    const c = checkText(`
engine e {
  state x: int
  state m: map<int, int>
  control c do set x = x + 1 then m[x] += x then fetch regs
}`);
    const e = c.engines[0];
    const uses = (name: string) => e?.stateByName.get(name)?.uses.map((u) => u.access);
    expect(uses('x')).toEqual(['read', 'write', 'read', 'read']);
    expect(uses('m')).toEqual(['read', 'write']);
  });
});

describe('flow-sensitive facts', () => {
  it('forgets the stop once any path resumed', () => {
    const c = checkText(`
engine e {
  state x: bool
  control peek do stop match {
    stopped => if x { resume } then fetch regs then resume
    pending => nothing
    gone => nothing
  }
}`);
    expect(codes(c)).toEqual(['UTR2034']);
  });

  it('keeps the stop through an `if` whose branches all stay stopped', () => {
    const c = checkText(`
engine e {
  state x: bool
  control peek do stop match {
    stopped => if x { emit "a" } else { nothing } then fetch regs then resume
    pending, gone => nothing
  }
}`);
    expect(c.diagnostics).toEqual([]);
  });

  it('binds `regs` only when every path fetched', () => {
    const c = checkText(`
engine e {
  state x: bool
  on quiesce do if x { fetch regs } then emit "{regs.rip}" then resume
  on exec do if x { fetch regs } else { fetch regs } then emit "{regs.rip}" then resume
}`);
    expect(codes(c)).toEqual(['UTR2035']);
  });

  it('says which path misses its resume action through an else-if chain', () => {
    const c = checkText(`
engine e {
  state x: int
  on exec do if x == 1 { resume } else if x == 2 { stop } else { emit "x" }
}`);
    const d = c.diagnostics[0];
    expect(d?.code).toBe('UTR2028');
    expect(d?.notes[0]).toBe('the path where the `if` at 4:14 is false and then the `if` at 4:40 is false');
    expect(c.source.text.slice(d?.span.start, d?.span.end)).toBe('emit "x"');
  });

  it('needs no resume action in control code, or in a reap handler', () => {
    expect(checkText('engine e { control c do emit "x"  on reap do emit "gone" }').diagnostics).toEqual([]);
  });
});

describe('state initialisers', () => {
  it('are constants: no state, no task, no reading the tracee', () => {
    const c = checkText(`
engine e {
  state a: int = 1 + 2
  state s: syscall = openat
  state b: string = path(0)
  state t: int = task.pid
}`);
    expect(c.diagnostics.map((d) => d.message)).toEqual([
      'a state initialiser cannot call `path()`',
      'a state initialiser cannot read `task`',
    ]);
  });
});

describe('architecture choice', () => {
  it('falls back to the command line arch when the directive is unknown', () => {
    const c = checkText('arch arm64\nengine e { on syscall_entry(call) when call.nr == openat do resume }', 'aarch64');
    expect(c.arch.name).toBe('aarch64');
    expect(c.diagnostics.map((d) => [d.code, d.label, d.fix?.edits[0]?.newText])).toEqual([
      ['UTR2001', 'did you mean `aarch64`?', 'aarch64'],
    ]);
  });

  it('defaults to x86_64', () => {
    expect(checkText('engine e { }').arch.name).toBe('x86_64');
  });
});

describe('one mistake, one diagnostic', () => {
  it('does not report the uses of a binding whose event is unknown or has no payload', () => {
    const c = checkText(`
engine e {
  on syscal_entry(call) when call.nr == openat do emit "{call.arg[0]}" then resume
  on reap(r) do emit "{r.code}"
}`);
    expect(codes(c)).toEqual(['UTR2009', 'UTR2010']);
  });

  it('does not report the uses of state whose type is unknown', () => {
    const c = checkText('engine e { state n: integer = 1  on exec do n += 1 then emit "{n}" then resume }');
    expect(codes(c)).toEqual(['UTR2006']);
  });
});
