/**
 * What the code generator tracks while it writes one engine module: the runtime names the module imports (so the
 * import list is exactly what is used), and the table of `.utr` locations that generated code refers to by number.
 */
import type { SourceFile, Span } from '../diagnostics/source.js';

/** Runtime exports that are types only (imported with `type`, as `verbatimModuleSyntax` wants). */
const TYPE_ONLY: ReadonlySet<string> = new Set([
  'CallbackContext',
  'Control',
  'ControlEntry',
  'Coroutine',
  'ExecInfo',
  'Aggregation',
  'Regs',
  'SigAction',
  'SigInfo',
  'TableValue',
  'TaskId',
  'TimerEntry',
]);

/** Module-wide state of one generated engine module. */
export class ModuleContext {
  private readonly imports = new Set<string>();
  private readonly locations: (readonly [number, number, number, number])[] = [];
  private readonly locationIds = new Map<string, number>();
  /** Whether the module uses the shared `show` printer constant. */
  usesShow = false;

  constructor(readonly source: SourceFile) {}

  /** A runtime value export, noted for the import list. */
  value(name: string): string {
    this.imports.add(name);
    return name;
  }

  /** A runtime type export, noted for the import list. */
  type(name: string): string {
    this.imports.add(name);
    return name;
  }

  /** The module's printer constant. */
  show(): string {
    this.usesShow = true;
    this.imports.add('Show');
    return 'show';
  }

  /** The number of a `.utr` location in the module's source table (the same span always gets the same number). */
  loc(span: Span): number {
    const key = `${span.start}:${span.end}`;
    const known = this.locationIds.get(key);
    if (known !== undefined) return known;
    const { line, column } = this.source.lineCol(span.start);
    const id = this.locations.length;
    this.locations.push([line, column, span.start, span.end]);
    this.locationIds.set(key, id);
    return id;
  }

  /** A location number as an argument, with its line as a comment for the reader: `3 /* line 12 *\/`. */
  locRef(span: Span): string {
    return `${this.loc(span)} /* line ${this.line(span)} */`;
  }

  /** The one-based line of a span's start. */
  line(span: Span): number {
    return this.source.lineCol(span.start).line;
  }

  /** The imports, sorted, values and types apart. */
  importNames(): { name: string; isTypeOnly: boolean }[] {
    return [...this.imports].sort().map((name) => ({ name, isTypeOnly: TYPE_ONLY.has(name) }));
  }

  /** The location table as `[line, column, start, end]` rows. */
  locationRows(): readonly (readonly [number, number, number, number])[] {
    return this.locations;
  }
}
