/**
 * Engine state, log records and monitor state as text, to compare and digest them: bigints as `12n`, maps as their
 * entry lists, sets as their element lists (plain `JSON.stringify` would throw on a bigint and turn both into `{}`).
 */

/** `data` as JSON, with the properties named in `omit` left out at every depth. */
export function dataJson(data: unknown, omit?: ReadonlySet<string>): string {
  return JSON.stringify(data, (key, v: unknown) =>
    omit?.has(key) === true
      ? undefined
      : typeof v === 'bigint'
        ? `${v}n`
        : v instanceof Map
          ? [...(v as Map<unknown, unknown>).entries()]
          : v instanceof Set
            ? [...(v as Set<unknown>)]
            : v,
  );
}
