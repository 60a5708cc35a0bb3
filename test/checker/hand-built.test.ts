import { describe, expect, it } from 'vitest';
import { check } from '../../src/checker/index.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import type { Engine, Expr, Handler, NameExpr, Program, StateDecl, Step } from '../../src/parser/ast.js';

// The checker against a tree built by hand, independent of the parser: the text only provides spans for messages.
const text =
  'engine syscount { state calls: map<syscall, count>  on syscall_entry(call) do calls[call.nr] += 1 then resume }';
const source = new SourceFile('hand.utr', text);
const at = (needle: string, from = 0) => {
  const start = text.indexOf(needle, from);
  return { start, end: start + needle.length };
};
const ident = (name: string, from = 0) => ({ kind: 'Ident' as const, span: at(name, from), name });
const nameExpr = (name: string, from = 0): NameExpr => ({
  kind: 'NameExpr',
  span: at(name, from),
  name: ident(name, from),
});

function program(update: Step, extra: Handler[] = []): Program {
  const stateDecl: StateDecl = {
    kind: 'StateDecl',
    span: at('state calls: map<syscall, count>'),
    name: ident('calls'),
    type: {
      kind: 'TypeRef',
      span: at('map<syscall, count>'),
      name: ident('map'),
      args: [
        { kind: 'TypeRef', span: at('syscall,'), name: ident('syscall'), args: [] },
        { kind: 'TypeRef', span: at('count>'), name: ident('count'), args: [] },
      ],
    },
  };
  const handler: Handler = {
    kind: 'Handler',
    span: at('on syscall_entry(call) do calls[call.nr] += 1 then resume'),
    event: ident('syscall_entry'),
    binding: ident('call', text.indexOf('(call')),
    body: {
      kind: 'Block',
      span: at('calls[call.nr] += 1 then resume'),
      steps: [update, { kind: 'ActionStep', span: at('resume'), action: 'resume' }],
    },
  };
  const engine: Engine = {
    kind: 'Engine',
    span: { start: 0, end: text.length },
    name: ident('syscount'),
    members: [stateDecl, handler, ...extra],
  };
  return { kind: 'Program', span: { start: 0, end: text.length }, engines: [engine] };
}

const bodyStart = text.indexOf('calls[');
const target: Expr = {
  kind: 'IndexExpr',
  span: at('calls[call.nr]'),
  object: nameExpr('calls', bodyStart),
  index: { kind: 'FieldExpr', span: at('call.nr'), object: nameExpr('call', bodyStart), field: ident('nr', bodyStart) },
};

describe('check on a hand-built tree', () => {
  it('accepts a well-typed syscall counter and fills the lookup tables', () => {
    const update: Step = {
      kind: 'UpdateStep',
      span: at('calls[call.nr] += 1'),
      target,
      op: '+=',
      value: { kind: 'IntLit', span: at('1 then'), value: 1n },
    };
    const checked = check({ program: program(update), diagnostics: [], source });
    expect(checked.diagnostics).toEqual([]);
    expect(checked.arch.name).toBe('x86_64');
    const engine = checked.engines[0];
    expect(engine?.subscribedEvents).toEqual(['syscall_entry']);
    expect(engine?.handlersFor('syscall_entry')).toHaveLength(1);
    expect(engine?.states.map((s) => s.name)).toEqual(['calls']);
    expect(checked.typeOf(target).kind).toBe('count');
    expect(checked.symbolOf((target as { object: NameExpr }).object)?.kind).toBe('state');
    expect(engine?.stateByName.get('calls')?.uses.map((u) => u.access)).toEqual(['read', 'write']);
    expect(engine?.contextOf(engine.handlers[0]!.handlers[0]!.node)).toBe('handler');
  });

  it('reports `set` on a count aggregation', () => {
    const update: Step = {
      kind: 'SetStep',
      span: at('calls[call.nr] += 1'),
      target,
      value: { kind: 'IntLit', span: at('1 then'), value: 1n },
    };
    const checked = check({ program: program(update), diagnostics: [], source });
    expect(checked.diagnostics.map((d) => d.code)).toEqual(['UTR2021']);
  });

  it('reports an unknown arch option and goes on as x86_64', () => {
    const update: Step = { kind: 'NothingStep', span: at('calls[call.nr] += 1') };
    const checked = check({ program: program(update), diagnostics: [], source }, { arch: 'x86' });
    expect(checked.diagnostics.map((d) => d.code)).toEqual(['UTR2001']);
    expect(checked.arch.name).toBe('x86_64');
  });
});
