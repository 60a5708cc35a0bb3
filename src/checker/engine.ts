/**
 * Checks one engine: its declarations (state, controls, parameters), then each member's code in source order, and
 * builds the `CheckedEngine` later phases read.
 */
import type { Span } from '../diagnostics/source.js';
import type { ControlDecl, Engine, EventName, Handler, TimerDecl } from '../parser/ast.js';
import { EVENT_NAMES } from '../parser/ast.js';
import type { CheckContext } from './context.js';
import { SEM } from './diagnostics.js';
import { CONTROL_EVENTS, LEGAL_ACTIONS, PAYLOAD_FIELDS } from './events.js';
import { findOpenPath } from './handler-paths.js';
import type {
  BindingSymbol,
  CheckedControl,
  CheckedEngine,
  CheckedHandler,
  CheckedTimer,
  CodeContext,
  EngineSymbol,
  HandlerGroup,
  ParamSymbol,
} from './program.js';
import type { MutableStateSymbol, Scope } from './scope.js';
import { START_FLOW } from './scope.js';
import type { StepChecker } from './steps.js';
import { suggest } from './suggest.js';
import { resolveTypeRef } from './type-refs.js';
import { isAggregation, payloadOf, T, typeToString } from './types.js';

const EVENT_SET: ReadonlySet<string> = new Set<string>(EVENT_NAMES);

/** Checks an engine and returns what later phases need to know about it. */
export function checkEngine(
  cx: CheckContext,
  engine: Engine,
  engines: ReadonlyMap<string, EngineSymbol>,
  steps: StepChecker,
): CheckedEngine {
  const states = declareStates(cx, engine);
  const controlNames = new Map<string, ControlDecl>();
  const groups = new Map<EventName, CheckedHandler[]>();
  const guardless = new Map<EventName, Handler>();
  const controls: CheckedControl[] = [];
  const timers: CheckedTimer[] = [];

  // Every scope is built with all of its fields, in one order, so the name lookups that read them stay monomorphic.
  const baseScope: Scope = {
    states,
    engines,
    binding: undefined,
    params: undefined,
    context: 'control',
    member: undefined,
    poisoned: undefined,
    event: undefined,
  };
  for (const state of states.values()) checkInitialiser(cx, state, baseScope, steps);

  for (const member of engine.members) {
    switch (member.kind) {
      case 'StateDecl':
        break;
      case 'Handler': {
        const checked = checkHandler(cx, member, baseScope, steps, guardless);
        if (checked) {
          const list = groups.get(checked.event) ?? [];
          list.push(checked);
          groups.set(checked.event, list);
        }
        break;
      }
      case 'ControlDecl': {
        const earlier = controlNames.get(member.name.name);
        const checked = checkControl(cx, member, baseScope, steps);
        if (earlier) {
          cx.report(SEM.duplicateControl, {
            span: member.name.span,
            message: `control \`${member.name.name}\` is declared twice in engine \`${engine.name.name}\``,
            label: 'declared again here',
            related: [{ span: earlier.name.span, message: 'first declared here' }],
            help: 'rename one of them',
          });
        } else {
          controlNames.set(member.name.name, member);
          controls.push(checked);
        }
        break;
      }
      case 'TimerDecl':
        timers.push(checkTimer(cx, member, baseScope, steps));
        break;
    }
  }

  const handlers: HandlerGroup[] = [...groups].map(([event, list]) => ({ event, handlers: list }));
  const subscribedEvents = handlers.map((g) => g.event).filter((e) => !CONTROL_EVENTS.has(e));
  const stateList = [...states.values()];
  return {
    node: engine,
    name: engine.name.name,
    states: stateList,
    stateByName: states,
    handlers,
    controls,
    timers,
    subscribedEvents,
    handlersFor: (event) => groups.get(event) ?? [],
    typeOf: (expr) => cx.typeOf(expr),
    symbolOf: (name) => cx.symbols.get(name),
    contextOf: (member) => cx.contexts.get(member) ?? 'handler',
  };
}

function declareStates(cx: CheckContext, engine: Engine): Map<string, MutableStateSymbol> {
  const states = new Map<string, MutableStateSymbol>();
  for (const member of engine.members) {
    if (member.kind !== 'StateDecl') continue;
    const type = resolveTypeRef(cx, member.type, 'state');
    const earlier = states.get(member.name.name);
    if (earlier) {
      cx.report(SEM.duplicateState, {
        span: member.name.span,
        message: `state \`${member.name.name}\` is declared twice in engine \`${engine.name.name}\``,
        label: 'declared again here',
        related: [{ span: earlier.decl.name.span, message: 'first declared here' }],
        help: 'rename one of them, or remove the second declaration',
      });
      continue;
    }
    states.set(member.name.name, {
      kind: 'state',
      name: member.name.name,
      type,
      ...(member.init ? { init: member.init } : {}),
      decl: member,
      uses: [],
    });
  }
  return states;
}

function checkInitialiser(cx: CheckContext, state: MutableStateSymbol, scope: Scope, steps: StepChecker): void {
  const init = state.decl.init;
  if (!init) return;
  const t = state.type;
  if (isAggregation(t) || t.kind === 'list' || t.kind === 'map') {
    steps.exprs.check(init, scope, START_FLOW);
    cx.report(SEM.invalidInitialiser, {
      span: init.span,
      message: `a \`${typeToString(t)}\` cannot be initialised`,
      label: 'starts empty',
      notes: [
        `\`${typeToString(t)}\` state starts ${isAggregation(t) ? 'at zero' : 'empty'} when the engine is created`,
      ],
      help: 'remove the initialiser',
      fix: {
        title: 'remove the initialiser',
        applicability: 'safe',
        edits: [{ span: { start: state.decl.type.span.end, end: init.span.end }, newText: '' }],
      },
    });
    return;
  }
  steps.exprs.expect(init, t, scope, START_FLOW, `the initial value of \`${state.name}\``);
}

function headSpan(member: Handler): Span {
  return { start: member.span.start, end: member.event.span.end };
}

function checkHandler(
  cx: CheckContext,
  handler: Handler,
  base: Scope,
  steps: StepChecker,
  guardless: Map<EventName, Handler>,
): CheckedHandler | undefined {
  const name = handler.event.name;
  const known = EVENT_SET.has(name);
  const event = known ? (name as EventName) : undefined;
  if (!event) {
    const best = suggest(name, EVENT_NAMES);
    cx.report(SEM.unknownEvent, {
      span: handler.event.span,
      message: `unknown event \`${name}\``,
      label: best ? `did you mean \`${best}\`?` : 'not an event',
      ...(best
        ? {
            fix: {
              title: `use \`${best}\``,
              applicability: 'safe' as const,
              edits: [{ span: handler.event.span, newText: best }],
            },
          }
        : { notes: [`the events are ${EVENT_NAMES.map((e) => `\`${e}\``).join(', ')}`] }),
    });
  }
  const context: CodeContext = event && CONTROL_EVENTS.has(event) ? 'control' : 'handler';
  cx.contexts.set(handler, context);

  let binding: BindingSymbol | undefined;
  if (handler.binding && event) {
    if (PAYLOAD_FIELDS[event] === undefined) {
      const close = cx.source.text.indexOf(')', handler.binding.span.end);
      cx.report(SEM.bindingNotAllowed, {
        span: handler.binding.span,
        message: `\`${event}\` has no payload to bind`,
        label: 'remove this binding',
        notes: [
          event === 'reap'
            ? 'report_reap carries nothing but the task, which is always available as `task`'
            : `the engine's own \`${event}\` carries no payload; \`task\` is available`,
        ],
        ...(close >= 0
          ? {
              fix: {
                title: 'remove the binding',
                applicability: 'safe' as const,
                edits: [{ span: { start: handler.event.span.end, end: close + 1 }, newText: '' }],
              },
            }
          : {}),
      });
    } else {
      binding = {
        kind: 'binding',
        name: handler.binding.name,
        event,
        type: payloadOf(event),
        decl: handler.binding,
        handler,
      };
      warnShadow(cx, base, handler.binding.name, handler.binding.span, 'binding');
    }
  }

  const scope: Scope = {
    states: base.states,
    engines: base.engines,
    binding,
    params: undefined,
    context,
    member: handler,
    poisoned: handler.binding && !binding ? handler.binding.name : undefined,
    event,
  };
  if (handler.guard) steps.exprs.expect(handler.guard, T.bool, scope, START_FLOW, 'a `when` guard');
  const end = steps.block(handler.body, scope, START_FLOW);
  if (context === 'handler' && event && event !== 'reap' && !end.ended) {
    reportMissingResume(cx, handler, event);
  }
  if (!event) return undefined;

  const shadowing = guardless.get(event);
  const guard = handler.guard;
  const never = guard?.kind === 'BoolLit' && !guard.value;
  if (shadowing) {
    cx.report(SEM.unreachableHandler, {
      span: headSpan(handler),
      message: `this \`on ${event}\` handler never runs`,
      label: 'unreachable',
      related: [
        {
          span: headSpan(shadowing),
          message: shadowing.guard
            ? "this handler's guard is always `true`, so it always runs first"
            : 'this handler has no `when` guard, so it always runs first',
        },
      ],
      notes: ['handlers for one event are tried in source order and the first whose guard holds runs'],
      help: 'move this handler above the guard-less one, or give the earlier one a `when` guard',
    });
  } else if (never && guard) {
    cx.report(SEM.unreachableHandler, {
      span: guard.span,
      message: `this \`on ${event}\` handler never runs`,
      label: 'the guard is always `false`',
      help: 'remove the handler, or write the condition it should wait for',
    });
  } else if (!guard || (guard.kind === 'BoolLit' && guard.value)) {
    // `when true` is no guard at all: later handlers for the event are shadowed just the same.
    guardless.set(event, handler);
  }
  return {
    node: handler,
    event,
    ...(binding ? { binding } : {}),
    ...(PAYLOAD_FIELDS[event] !== undefined ? { payload: payloadOf(event) } : {}),
    context,
    reachable: !shadowing && !never,
  };
}

function reportMissingResume(cx: CheckContext, handler: Handler, event: EventName): void {
  const open = findOpenPath(handler.body, (span) => cx.where(span));
  if (!open) return;
  const legal = LEGAL_ACTIONS[event];
  const fallback = legal.includes('resume') ? 'resume' : (legal[0] ?? 'resume');
  cx.report(SEM.missingResumeAction, {
    span: open.last,
    message: `this path of \`on ${event}\` ends without a resume action`,
    label: 'the path ends here',
    related: [{ span: headSpan(handler), message: 'in this handler' }],
    notes: [
      open.choices.length > 0 ? `the path where ${open.choices.join(' and then ')}` : "this is the handler's only path",
      `a handler is a utrace callback: every path returns how the task goes on (${legal.map((a) => `\`${a}\``).join(', ')})`,
    ],
    help: `end the path with \`then ${fallback}\``,
    fix: {
      title: `add \`then ${fallback}\``,
      applicability: 'safe',
      edits: [{ span: { start: open.last.end, end: open.last.end }, newText: ` then ${fallback}` }],
    },
  });
}

function checkControl(cx: CheckContext, control: ControlDecl, base: Scope, steps: StepChecker): CheckedControl {
  cx.contexts.set(control, 'control');
  const params = new Map<string, ParamSymbol>();
  for (const param of control.params) {
    const type = resolveTypeRef(cx, param.type, 'param');
    const earlier = params.get(param.name.name);
    if (earlier) {
      cx.report(SEM.duplicateParam, {
        span: param.name.span,
        message: `parameter \`${param.name.name}\` is declared twice in control \`${control.name.name}\``,
        label: 'declared again here',
        related: [{ span: earlier.decl.name.span, message: 'first declared here' }],
        help: 'rename one of them',
      });
      continue;
    }
    warnShadow(cx, base, param.name.name, param.name.span, 'parameter');
    params.set(param.name.name, { kind: 'param', name: param.name.name, type, decl: param, control });
  }
  const scope: Scope = {
    states: base.states,
    engines: base.engines,
    binding: undefined,
    params,
    context: 'control',
    member: control,
    poisoned: undefined,
    event: undefined,
  };
  steps.block(control.body, scope, START_FLOW);
  return { node: control, name: control.name.name, params: [...params.values()], context: 'control' };
}

function checkTimer(cx: CheckContext, timer: TimerDecl, base: Scope, steps: StepChecker): CheckedTimer {
  cx.contexts.set(timer, 'control');
  const scope: Scope = {
    states: base.states,
    engines: base.engines,
    binding: undefined,
    params: undefined,
    context: 'control',
    member: timer,
    poisoned: undefined,
    event: undefined,
  };
  const nanos = steps.positiveDuration(timer.period, scope, START_FLOW, 'an `every` period');
  if (timer.guard) steps.exprs.expect(timer.guard, T.bool, scope, START_FLOW, 'a `when` guard');
  steps.block(timer.body, scope, START_FLOW);
  return { node: timer, ...(nanos !== undefined ? { periodNanos: nanos } : {}), context: 'control' };
}

function warnShadow(cx: CheckContext, scope: Scope, name: string, span: Span, what: string): void {
  const state = scope.states.get(name);
  if (!state) return;
  cx.report(SEM.shadowedState, {
    span,
    message: `${what} \`${name}\` hides state \`${name}\``,
    label: `\`${name}\` means the ${what} here`,
    related: [{ span: state.decl.name.span, message: 'the state is declared here' }],
    help: `rename the ${what}`,
  });
}
