/**
 * Turns written types (`map<syscall, count>`) into the type model, reporting unknown names, wrong arity and types
 * that are not allowed where they are written (a map key that is not a simple value, an aggregation in a list).
 */
import type { TypeRef } from '../parser/ast.js';
import type { CheckContext } from './context.js';
import { SEM } from './diagnostics.js';
import { suggest } from './suggest.js';
import type { PrimitiveKind, Type } from './types.js';
import { isAggregation, listOf, MAP_KEY_KINDS, mapOf, T, TYPE_NAMES, typeToString } from './types.js';

/** Where a type is written, which decides what is allowed. */
export type TypePosition = 'state' | 'param' | 'list-element' | 'map-key' | 'map-value';

/** Resolves a written type; `error` after reporting. */
export function resolveTypeRef(cx: CheckContext, ref: TypeRef, position: TypePosition): Type {
  const name = ref.name.name;
  const arity = Object.hasOwn(TYPE_NAMES, name) ? TYPE_NAMES[name] : undefined;
  if (arity === undefined) {
    const best = suggest(name, Object.keys(TYPE_NAMES));
    cx.report(SEM.unknownType, {
      span: ref.name.span,
      message: `cannot find type \`${name}\``,
      label: best ? `did you mean \`${best}\`?` : 'unknown type',
      notes: [
        `the types are ${Object.keys(TYPE_NAMES)
          .map((n) => `\`${n}\``)
          .join(', ')}`,
      ],
      ...(best
        ? {
            fix: {
              title: `use \`${best}\``,
              applicability: 'safe' as const,
              edits: [{ span: ref.name.span, newText: best }],
            },
          }
        : {}),
    });
    return T.error;
  }
  if (ref.args.length !== arity) {
    cx.report(SEM.wrongTypeArity, {
      span: ref.span,
      message:
        arity === 0
          ? `type \`${name}\` takes no type arguments`
          : `type \`${name}\` takes ${arity} type argument${arity === 1 ? '' : 's'}, found ${ref.args.length}`,
      ...(arity === 0 ? {} : { label: name === 'list' ? 'write `list<T>`' : 'write `map<K, V>`' }),
    });
    return T.error;
  }
  let t: Type;
  if (name === 'list') {
    t = listOf(resolveTypeRef(cx, ref.args[0] as TypeRef, 'list-element'));
  } else if (name === 'map') {
    t = mapOf(
      resolveTypeRef(cx, ref.args[0] as TypeRef, 'map-key'),
      resolveTypeRef(cx, ref.args[1] as TypeRef, 'map-value'),
    );
  } else {
    t = (T as Record<string, Type>)[name] ?? T.error;
  }
  return allowedAt(cx, ref, t, position) ? t : T.error;
}

function allowedAt(cx: CheckContext, ref: TypeRef, t: Type, position: TypePosition): boolean {
  if (t.kind === 'error') return true;
  const bad = (message: string, help?: string): false => {
    cx.report(SEM.invalidTypeArgument, { span: ref.span, message, ...(help ? { help } : {}) });
    return false;
  };
  switch (position) {
    case 'map-key':
      if (!MAP_KEY_KINDS.includes(t.kind as PrimitiveKind)) {
        return bad(
          `\`${typeToString(t)}\` cannot be a map key`,
          `map keys are ${MAP_KEY_KINDS.map((k) => `\`${k}\``).join(', ')}`,
        );
      }
      return true;
    case 'list-element':
      if (isAggregation(t)) {
        return bad(
          `a list cannot hold \`${typeToString(t)}\` aggregations`,
          'use a `map` whose values are aggregations',
        );
      }
      return true;
    case 'param':
      if (isAggregation(t) || t.kind === 'list' || t.kind === 'map') {
        return bad(`a control parameter cannot be \`${typeToString(t)}\``, 'parameters are simple values');
      }
      return true;
    default:
      return true;
  }
}
