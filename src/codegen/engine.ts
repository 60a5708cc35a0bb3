/**
 * Transforms one checked engine into one TypeScript module: a state interface and a class extending the runtime's
 * `CompiledEngine`, with one `report*` callback per event the engine handles (trying its handlers in source order)
 * and one method per handler, control, timer and attach/detach body. ts-morph assembles the declarations; the
 * statements come from `steps.ts`.
 */
import {
  Project,
  Scope,
  StructureKind,
  VariableDeclarationKind,
  type MethodDeclarationStructure,
  type OptionalKind,
  type ParameterDeclarationStructure,
} from 'ts-morph';
import type { CheckedEngine, CheckedHandler, CheckedProgram } from '../checker/program.js';
import type { Type } from '../checker/types.js';
import type { Block, EventName } from '../parser/ast.js';
import { ModuleContext } from './context.js';
import { EVENT_CONSTANTS, typeName, type CodeScope } from './expressions.js';
import { commentText, numberLiteral, safeLocal, safeProperty, stringLiteral } from './literals.js';
import { containsStep, Lines, StepWriter, type MemberShape } from './steps.js';
import { defaultValue, shower, tsType } from './types.js';

/** Options of code generation. */
export interface EngineModuleOptions {
  /** The utrc version named in the header. */
  readonly version: string;
  /** The module specifier of the runtime (default `utrc/runtime`). */
  readonly runtimeSpecifier?: string;
}

/** The callback of each utrace event, and its parameters after `ctx`. */
const CALLBACKS: Readonly<
  Record<
    Exclude<EventName, 'attach' | 'detach'>,
    { name: string; params: [string, string][]; returns: 'number' | 'void' }
  >
> = {
  quiesce: {
    name: 'reportQuiesce',
    params: [
      ['action', 'number'],
      ['event', 'number'],
    ],
    returns: 'number',
  },
  syscall_entry: { name: 'reportSyscallEntry', params: [['action', 'number']], returns: 'number' },
  syscall_exit: { name: 'reportSyscallExit', params: [['action', 'number']], returns: 'number' },
  signal: {
    name: 'reportSignal',
    params: [
      ['action', 'number'],
      ['info', 'SigInfo'],
      ['origKa', 'Readonly<SigAction> | null'],
      ['returnKa', 'SigAction'],
    ],
    returns: 'number',
  },
  clone: {
    name: 'reportClone',
    params: [
      ['action', 'number'],
      ['cloneFlags', 'bigint'],
      ['child', 'TaskId'],
    ],
    returns: 'number',
  },
  exec: {
    name: 'reportExec',
    params: [
      ['action', 'number'],
      ['exec', 'ExecInfo'],
    ],
    returns: 'number',
  },
  exit: {
    name: 'reportExit',
    params: [
      ['action', 'number'],
      ['origCode', 'number'],
      ['code', '{ value: number }'],
    ],
    returns: 'number',
  },
  death: {
    name: 'reportDeath',
    params: [
      ['groupDead', 'boolean'],
      ['signal', 'number'],
    ],
    returns: 'number',
  },
  reap: { name: 'reportReap', params: [], returns: 'void' },
  jctl: {
    name: 'reportJctl',
    params: [
      ['action', 'number'],
      ['type', 'number'],
      ['notify', 'number'],
    ],
    returns: 'number',
  },
};

const TYPE_NAMES_IN_PARAMS = ['SigInfo', 'SigAction', 'TaskId', 'ExecInfo'];

/** `ptrace_like` → `PtraceLike`. */
function pascal(name: string): string {
  return name
    .split('_')
    .filter((p) => p.length > 0)
    .map((p) => p[0]?.toUpperCase() + p.slice(1))
    .join('');
}

/** `syscall_entry` → `SyscallEntry`. */
function eventPart(event: string): string {
  return pascal(event);
}

/**
 * Drops the `regs` local when the body only ever assigns it (a `fetch regs` whose registers are not used), so the
 * module compiles under `noUnusedLocals`; the fetch itself stays, as a plain call.
 */
function pruneRegs(lines: readonly string[]): string[] {
  const reads = lines.filter((l) => /\bregs\b/.test(l) && !/^\s*(let )?regs(: \w+)? = /.test(l));
  if (reads.length > 0) return [...lines];
  return lines.filter((l) => !/^\s*let regs\b/.test(l)).map((l) => l.replace(/^(\s*)regs = /, '$1'));
}

/**
 * Parameters the body does not mention get a leading `_`, so the module also compiles under `noUnusedParameters`
 * (a mention inside a string literal keeps the plain name, which is merely a missed rename).
 */
function markUnused(
  params: readonly OptionalKind<ParameterDeclarationStructure>[],
  body: string,
): OptionalKind<ParameterDeclarationStructure>[] {
  return params.map((p) => {
    const name = p.name.replace(/^\$/, '\\$');
    // Not after `.`: `this.state.action` is a property, not the parameter `action`.
    return new RegExp(`(^|[^\\w$.])${name}(?![\\w$])`).test(body) ? p : { ...p, name: `_${p.name}` };
  });
}

/** The class name of an engine: always ends in `Engine`, so it can never shadow a global such as `BigInt`. */
export function engineClassName(name: string): string {
  return `${pascal(name) || 'Unnamed'}Engine`;
}

/** The file name of an engine's module. */
export function engineFileName(name: string): string {
  return `${name}.ts`;
}

/** The parameter kind a control parameter type is passed as from the command line, if it can be. */
function paramKind(t: Type): string | undefined {
  switch (t.kind) {
    case 'int':
    case 'count':
    case 'sum':
      return 'int';
    case 'bool':
    case 'string':
    case 'duration':
    case 'syscall':
    case 'signal':
    case 'task':
      return t.kind;
    default:
      return undefined;
  }
}

function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}

/** Generates the module of one engine. Only for a program without errors. */
export function generateEngineModule(
  program: CheckedProgram,
  engine: CheckedEngine,
  options: EngineModuleOptions,
): string {
  const source = program.source;
  const m = new ModuleContext(source);
  const w = new StepWriter(m, engine);
  const file = commentText(baseName(source.path));
  const className = engineClassName(engine.name);
  const stateName = `${pascal(engine.name) || 'Unnamed'}State`;
  const ctxType = `CallbackContext<${stateName}>`;
  m.type('CallbackContext');
  const where = (span: { start: number }): string => `${file}:${m.line({ start: span.start, end: span.start })}`;
  const text = (span: { start: number; end: number }): string =>
    commentText(source.text.slice(span.start, span.end).replace(/\s+/g, ' ')).slice(0, 120);

  const methods: OptionalKind<MethodDeclarationStructure>[] = [];

  // Handlers, grouped by event: one dispatching callback per event, one method per reachable handler.
  for (const group of engine.handlers) {
    if (group.event === 'attach' || group.event === 'detach') continue;
    const cb = CALLBACKS[group.event];
    for (const t of TYPE_NAMES_IN_PARAMS) if (cb.params.some(([, type]) => type.includes(t))) m.type(t);
    const params: OptionalKind<ParameterDeclarationStructure>[] = [
      { name: 'ctx', type: ctxType },
      ...cb.params.map(([name, type]) => ({ name, type })),
    ];
    const args = ['ctx', ...cb.params.map(([name]) => name)].join(', ');
    const handlers = group.handlers.filter((h) => h.reachable);
    const several = handlers.length > 1;
    const extraIn =
      group.event === 'syscall_entry'
        ? `${m.value('syscallAction')}(action)`
        : group.event === 'signal'
          ? `${m.value('signalAction')}(action)`
          : undefined;
    const groupMethods: OptionalKind<MethodDeclarationStructure>[] = [];
    const dispatch = new Lines();
    if (group.event === 'signal') {
      // Reports that carry no signal (UTRACE_SIGNAL_REPORT/HANDLER) go to the quiesce handlers, keeping their bits.
      const quiesce = engine.handlersFor('quiesce').length > 0;
      dispatch.add(
        `if (origKa === null) return ${m.value('signalAction')}(action) | ${quiesce ? 'this.reportQuiesce(ctx, action, 0)' : `${m.value('Action')}.Resume`};`,
      );
    }
    let ended = false;
    handlers.forEach((h, i) => {
      const method = `on${eventPart(group.event)}${several ? i + 1 : ''}`;
      const shape: MemberShape = {
        side: 'handler',
        event: group.event,
        locals: new Map(),
        ...(h.binding ? { binding: h.binding.name } : {}),
      };
      const call = `this.${method}(${args})`;
      const guard = h.node.guard;
      if (guard)
        dispatch.add(
          `if (${w.x.expr(guard, shape)}) ${cb.returns === 'void' ? `{ ${call}; return; }` : `return ${call};`}`,
        );
      else {
        dispatch.add(cb.returns === 'void' ? `${call};` : `return ${call};`);
        ended = true;
      }
      groupMethods.push(handlerMethod(h, method, shape, params, cb.returns, extraIn));
    });
    if (!ended && cb.returns === 'number')
      dispatch.add(`return ${m.value('Action')}.Resume${extraIn ? ` | ${extraIn}` : ''};`);
    const utraceName = cb.name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    methods.push(
      {
        name: cb.name,
        parameters: params,
        returnType: cb.returns,
        docs: [
          `\`${utraceName}\`: the first \`on ${group.event}\` handler whose guard holds runs` +
            (cb.returns === 'number' && !ended ? '; if none does, the task resumes.' : '.'),
        ],
        statements: dispatch.text(),
      },
      ...groupMethods,
    );
  }

  function handlerMethod(
    h: CheckedHandler,
    name: string,
    shape: MemberShape,
    params: OptionalKind<ParameterDeclarationStructure>[],
    returns: string,
    extraIn: string | undefined,
  ): OptionalKind<MethodDeclarationStructure> {
    const body = new Lines();
    const usesRegs = containsStep(h.node.body, 'FetchStep');
    if (usesRegs) body.add(`let regs: ${m.type('Regs')} = ${m.value('NO_REGS')};`);
    let extra = extraIn;
    if (h.event === 'syscall_entry' && containsStep(h.node.body, 'AbortStep')) {
      body.add(`let verdict = ${extraIn};`);
      extra = 'verdict';
    }
    if (h.event === 'signal' && containsStep(h.node.body, 'FateStep')) {
      body.add(`let fate = ${extraIn};`);
      extra = 'fate';
    }
    w.block(h.node.body, { ...shape, ...(extra ? { extra } : {}) }, body);
    const statements = pruneRegs(body.lines).join('\n');
    const headEnd = h.node.guard
      ? h.node.guard.span.end
      : (h.node.binding?.span.end ?? h.node.event.span.end) + (h.node.binding ? 1 : 0);
    return {
      name,
      scope: Scope.Private,
      parameters: markUnused(params, statements),
      returnType: returns,
      docs: [`\`${text({ start: h.node.span.start, end: headEnd })}\` (${where(h.node.span)}).`],
      statements,
    };
  }

  // Control-side code: controls, timers, attach/detach handlers. Generators, so every runtime call is a `yield*`.
  const controlMethod = (
    name: string,
    doc: string,
    body: Block,
    params: [string, string][],
    locals: Map<string, string>,
    guard?: string,
    override = false,
  ): OptionalKind<MethodDeclarationStructure> => {
    const shape: MemberShape = { side: 'control', locals };
    const out = new Lines();
    if (guard !== undefined) out.add(`if (!(${guard})) return;`);
    if (containsStep(body, 'FetchStep')) out.add(`let regs: ${m.type('Regs')} = ${m.value('NO_REGS')};`);
    w.block(body, shape, out);
    const statements = pruneRegs(out.lines).join('\n');
    return {
      name,
      isGenerator: true,
      hasOverrideKeyword: override,
      parameters: markUnused(
        [{ name: 'ctl', type: m.type('Control') }, ...params.map(([n, type]) => ({ name: n, type }))],
        statements,
      ),
      returnType: `${m.type('Coroutine')}<void>`,
      docs: [doc],
      statements,
    };
  };

  for (const [event, method] of [
    ['attach', 'onAttach'],
    ['detach', 'onDetach'],
  ] as const) {
    const h = engine.handlersFor(event).find((x) => x.reachable);
    if (h)
      methods.push(
        controlMethod(
          method,
          `\`on ${event}\` (${where(h.node.span)}): runs on the debugger side.`,
          h.node.body,
          [],
          new Map(),
          undefined,
          true,
        ),
      );
  }

  const controlEntries: string[] = [];
  for (const c of engine.controls) {
    const locals = new Map(c.params.map((p) => [p.name, safeLocal(p.name)] as const));
    const params = c.params.map((p) => [safeLocal(p.name), tsType(p.type, m)] as [string, string]);
    const method = `control_${c.name}`;
    methods.push(controlMethod(method, `\`control ${c.name}\` (${where(c.node.span)}).`, c.node.body, params, locals));
    const kinds = c.params.map((p) => paramKind(p.type));
    if (kinds.every((k) => k !== undefined)) {
      const spec = c.params
        .map((p, i) => `{ name: ${stringLiteral(p.name)}, type: ${stringLiteral(kinds[i] as string)} }`)
        .join(', ');
      const casts = c.params.map((p, i) => `args[${i}] as ${tsType(p.type, m)}`);
      controlEntries.push(
        `[${stringLiteral(c.name)}, { params: [${spec}], run: (ctl${c.params.length > 0 ? ', args' : ''}) => this.${method}(${['ctl', ...casts].join(', ')}) }]`,
      );
    }
  }
  if (controlEntries.length > 0) {
    methods.push({
      name: 'controls',
      hasOverrideKeyword: true,
      returnType: `ReadonlyMap<string, ${m.type('ControlEntry')}>`,
      docs: ['The control operations, by name (`utrc run --control NAME`).'],
      statements: `return new Map<string, ControlEntry>([\n${controlEntries.map((e) => `  ${e},`).join('\n')}\n]);`,
    });
  }

  const timerEntries: string[] = [];
  engine.timers.forEach((t, i) => {
    const name = `every${engine.timers.length > 1 ? i + 1 : ''}`;
    const guard = t.node.guard ? w.x.expr(t.node.guard, { side: 'control', locals: new Map() }) : undefined;
    methods.push(
      controlMethod(
        name,
        `\`${text({ start: t.node.span.start, end: t.node.guard?.span.end ?? t.node.period.span.end })}\` (${where(t.node.span)}).`,
        t.node.body,
        [],
        new Map(),
        guard,
      ),
    );
    const period = Number(t.periodNanos ?? 0n);
    timerEntries.push(`{ periodNs: ${numberLiteral(period)}, run: (ctl) => this.${name}(ctl) }`);
  });
  if (timerEntries.length > 0) {
    methods.push({
      name: 'timers',
      hasOverrideKeyword: true,
      returnType: `readonly ${m.type('TimerEntry')}[]`,
      docs: ['The `every` timers.'],
      statements: `return [${timerEntries.join(', ')}];`,
    });
  }

  // Aggregations printed at exit.
  const aggregations: string[] = [];
  for (const st of engine.states) {
    const t = st.type;
    const name = stringLiteral(st.name);
    const place = `this.state.${safeProperty(st.name)}`;
    if (t.kind === 'count' || t.kind === 'sum')
      aggregations.push(`${m.value('scalarAggregation')}(${name}, ${stringLiteral(t.kind)}, ${place})`);
    else if (t.kind === 'hist') aggregations.push(`${m.value('histAggregation')}(${name}, ${place})`);
    else if (t.kind === 'map' && (t.value.kind === 'count' || t.value.kind === 'sum'))
      aggregations.push(
        `${m.value('mapAggregation')}(${name}, ${stringLiteral(typeName(t.key))}, ${stringLiteral(t.value.kind)}, ${place}, ${shower(t.key, m)})`,
      );
    else if (t.kind === 'map' && t.value.kind === 'hist')
      aggregations.push(
        `${m.value('mapHistAggregation')}(${name}, ${stringLiteral(typeName(t.key))}, ${place}, ${shower(t.key, m)})`,
      );
  }
  if (aggregations.length > 0) {
    methods.push({
      name: 'aggregations',
      hasOverrideKeyword: true,
      returnType: `${m.type('Aggregation')}[]`,
      docs: ['The aggregation states, printed when the run ends.'],
      statements: `return [\n${aggregations.map((a) => `  ${a},`).join('\n')}\n];`,
    });
  }

  // State: typed, with defaults or initialisers.
  const init: CodeScope = { side: 'init', locals: new Map() };
  const stateProps = engine.states.map((st) => ({
    name: safeProperty(st.name),
    type: tsType(st.type, m),
    docs: [
      `\`state ${st.name}: ${commentText(source.text.slice(st.decl.type.span.start, st.decl.type.span.end))}\` (${where(st.decl.span)}).`,
    ],
    init: st.init ? w.x.expr(st.init, init) : defaultValue(st.type, m),
  }));

  const events = engine.subscribedEvents
    .filter((e) => e !== 'attach' && e !== 'detach')
    .map((e) => {
      const c = EVENT_CONSTANTS[e];
      m.value(c.split('.')[0] as string);
      return c;
    });

  m.value('CompiledEngine');
  m.value('SourceTable');
  const sourceTable = `new SourceTable(${stringLiteral(source.path)}, [${m
    .locationRows()
    .map((r) => `[${r.join(', ')}]`)
    .join(', ')}])`;
  const usesShow = m.usesShow;

  const project = new Project({ useInMemoryFileSystem: true });
  const sf = project.createSourceFile(engineFileName(engine.name), {
    statements: [
      `// Generated by utrc ${commentText(options.version)} from ${file}: engine \`${engine.name}\` (line ${m.line(engine.node.span)}).\n` +
        `// Do not edit: change the .utr file and run \`utrc build\` again.`,
      {
        kind: StructureKind.ImportDeclaration,
        moduleSpecifier: options.runtimeSpecifier ?? 'utrc/runtime',
        namedImports: m.importNames(),
      },
      {
        kind: StructureKind.VariableStatement,
        declarationKind: VariableDeclarationKind.Const,
        leadingTrivia: (writer) => writer.blankLine(),
        docs: ['Where the engine came from: run-time errors name these `.utr` locations.'],
        declarations: [{ name: 'SOURCE', initializer: sourceTable }],
      },
      ...(usesShow
        ? [
            {
              kind: StructureKind.VariableStatement as const,
              declarationKind: VariableDeclarationKind.Const,
              docs: ['Prints values for `emit` and the exit tables, with syscall names of this architecture.'],
              declarations: [{ name: 'show', initializer: `new Show(${stringLiteral(program.arch.name)})` }],
            },
          ]
        : []),
      {
        kind: StructureKind.Interface,
        name: stateName,
        isExported: true,
        docs: [`The state of engine \`${engine.name}\`, shared by every task it is attached to.`],
        properties: stateProps.map((p) => ({ name: p.name, type: p.type, docs: p.docs })),
      },
      {
        kind: StructureKind.Class,
        name: className,
        isDefaultExport: true,
        extends: `CompiledEngine<${stateName}>`,
        docs: [`Engine \`${engine.name}\` (${where(engine.node.span)}).`],
        properties: [
          { name: 'name', isReadonly: true, initializer: stringLiteral(engine.name) },
          { name: 'source', isReadonly: true, initializer: 'SOURCE' },
          {
            name: 'events',
            isReadonly: true,
            initializer: events.length > 0 ? events.join(' | ') : '0',
            docs: ['The events the handlers need, set at attach.'],
          },
          {
            name: 'state',
            isReadonly: true,
            type: stateName,
            initializer:
              stateProps.length === 0 ? '{}' : `{\n${stateProps.map((p) => `  ${p.name}: ${p.init},`).join('\n')}\n}`,
          },
        ],
        methods,
      },
    ],
  });
  // The location table is complete only now; the initializer was written from the live list.
  sf.getVariableDeclarationOrThrow('SOURCE').setInitializer(
    `new SourceTable(${stringLiteral(source.path)}, [${m
      .locationRows()
      .map((r) => `[${r.join(', ')}]`)
      .join(', ')}])`,
  );
  if (usesShow !== m.usesShow)
    throw new Error('internal error: `show` was first used after the module header was written');
  return sf.getFullText();
}
