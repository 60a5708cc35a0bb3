/**
 * The `.utr` locations of a compiled engine, so a run-time error in generated code is reported at the line of the
 * `.utr` file that caused it, not at a line of generated JavaScript. Generated code passes a location number to
 * every operation that can fail; the table turns the number back into file, line, column and span.
 */

/** One `.utr` location: one-based line and column, and the half-open span `[start, end)` of UTF-16 offsets. */
export interface SourceLocation {
  readonly line: number;
  readonly column: number;
  readonly start: number;
  readonly end: number;
}

/** The `.utr` file an engine was compiled from, and the locations its generated code refers to by number. */
export class SourceTable {
  readonly locations: readonly SourceLocation[];

  constructor(
    /** The file as the user named it when compiling. */
    readonly file: string,
    /** `[line, column, start, end]` per location number. */
    locations: readonly (readonly [number, number, number, number])[],
  ) {
    this.locations = locations.map(([line, column, start, end]) => ({ line, column, start, end }));
  }

  /** The location with number `loc`, if the table has it. */
  at(loc: number): SourceLocation | undefined {
    return this.locations[loc];
  }

  /** `file:line:column` of a location (the file alone for an unknown number). */
  describe(loc: number): string {
    const l = this.at(loc);
    return l ? `${this.file}:${l.line}:${l.column}` : this.file;
  }
}

/**
 * A run-time error in generated code (division by zero, an index out of range, a failed `assert`), with the number
 * of the `.utr` location that caused it in its engine's `SourceTable`.
 */
export class UtrFault extends Error {
  constructor(
    message: string,
    /** The location number in the engine's source table. */
    readonly loc: number,
  ) {
    super(message);
    this.name = 'UtrFault';
  }
}
