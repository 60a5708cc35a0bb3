/**
 * What the explorer needs to know about the `.utr` source itself: each engine's handlers, controls and timers with
 * their lines, to print a counterexample step by step against the file, and the parameterless controls the debugger
 * side may invoke.
 */
import type { SourceFile } from '../diagnostics/source.js';
import { parse } from '../parser/index.js';
import { callbackOf } from '../runtime/core/callbacks.js';

/** One member of an engine, with its line. */
export interface MemberLine {
  /** `on quiesce`, `control finish`, `every #1`. */
  readonly what: string;
  readonly line: number;
}

/** The members of one engine. */
export interface EngineLines {
  readonly name: string;
  readonly line: number;
  /** Handlers by utrace callback name (`report_quiesce`), in source order. */
  readonly handlers: ReadonlyMap<string, readonly MemberLine[]>;
  readonly controls: ReadonlyMap<string, MemberLine & { readonly params: number }>;
  readonly timers: readonly MemberLine[];
}

/** The engines of a source with the lines of their members (empty when it does not parse). */
export function engineLines(source: SourceFile): EngineLines[] {
  const { program } = parse(source);
  const line = (offset: number): number => source.lineCol(offset).line;
  return program.engines.map((e) => {
    const handlers = new Map<string, MemberLine[]>();
    const controls = new Map<string, MemberLine & { params: number }>();
    const timers: MemberLine[] = [];
    for (const m of e.members) {
      if (m.kind === 'Handler') {
        const cb = callbackOf(m.event.name) ?? m.event.name;
        const list = handlers.get(cb) ?? [];
        list.push({ what: `on ${m.event.name}`, line: line(m.span.start) });
        handlers.set(cb, list);
      } else if (m.kind === 'ControlDecl')
        controls.set(m.name.name, {
          what: `control ${m.name.name}`,
          line: line(m.span.start),
          params: m.params.length,
        });
      else if (m.kind === 'TimerDecl') timers.push({ what: `every #${timers.length + 1}`, line: line(m.span.start) });
    }
    return { name: e.name.name, line: line(e.span.start), handlers, controls, timers };
  });
}

/** The `ENGINE.NAME` of every parameterless control of the given engines, in source order. */
export function explorableControls(lines: readonly EngineLines[], engines: readonly string[]): string[] {
  return lines
    .filter((e) => engines.includes(e.name))
    .flatMap((e) => [...e.controls.entries()].filter(([, c]) => c.params === 0).map(([n]) => `${e.name}.${n}`));
}
