/**
 * The built-in library: `path`, `len`, `table`, `hex`, `str`. Each entry says what its arguments accept, what it
 * returns, and whether it examines the task (which control code may do only while the task is stopped).
 */
import type { Type } from './types.js';
import { isNumeric, isPrintable, T } from './types.js';

/** One parameter of a library function. */
export interface LibraryParam {
  /** What the parameter accepts, in words, for messages ("an `int` address"). */
  readonly description: string;
  readonly accepts: (t: Type) => boolean;
}

/** A library function. */
export interface LibraryFunction {
  readonly signature: string;
  readonly params: readonly LibraryParam[];
  readonly result: Type;
  /** Reads the tracee (its memory): legal in handlers, and in control code only while the task is stopped. */
  readonly examines: boolean;
}

/** The library by name. */
export const LIBRARY: Readonly<Record<string, LibraryFunction>> = {
  path: {
    signature: 'path(addr: int) -> string',
    params: [{ description: 'an `int` address', accepts: (t) => t.kind === 'int' }],
    result: T.string,
    examines: true,
  },
  len: {
    signature: 'len(x: list | map | string | bytes) -> int',
    params: [
      {
        description: 'a `list`, `map`, `string` or `bytes`',
        accepts: (t) => t.kind === 'list' || t.kind === 'map' || t.kind === 'string' || t.kind === 'bytes',
      },
    ],
    result: T.int,
    examines: false,
  },
  table: {
    signature: 'table(m: map) -> table',
    params: [{ description: 'a `map`', accepts: (t) => t.kind === 'map' }],
    result: T.table,
    examines: false,
  },
  hex: {
    signature: 'hex(n: int) -> string',
    params: [{ description: 'an integer', accepts: isNumeric }],
    result: T.string,
    examines: false,
  },
  str: {
    signature: 'str(x: any printable) -> string',
    params: [{ description: 'a printable value', accepts: isPrintable }],
    result: T.string,
    examines: false,
  },
};

/** The library's function names. */
export const LIBRARY_NAMES: ReadonlySet<string> = new Set(Object.keys(LIBRARY));
