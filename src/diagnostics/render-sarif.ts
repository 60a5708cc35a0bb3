/**
 * Renders diagnostics as SARIF 2.1.0, the format GitHub code scanning and most CI dashboards ingest.
 *
 * One run, tool `utrc`, with a `rules` array describing every code the run can report (so the dashboard can show
 * the rule's summary and help next to each alert), one result per diagnostic with its primary location, the other
 * side of the race as `relatedLocations`, and a mechanical fix as `fixes`. Columns are UTF-16 code units, as the
 * diagnostic model's offsets are, and the run says so (`columnKind`).
 */
import type { Diagnostic, Severity } from './diagnostic.js';
import type { SourceFile, Span } from './source.js';
import type { SourceLookup } from './render-text.js';

/** The SARIF version and schema this renderer writes. */
export const SARIF_VERSION = '2.1.0';
const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** What the renderer needs to know about a rule (a catalogue entry, plus optional help). */
export interface SarifRuleInfo {
  readonly code: string;
  /** kebab-case name of the pattern flagged. */
  readonly name: string;
  readonly summary: string;
  readonly severity: Severity;
  /** Longer help, Markdown (the rule's docs page). */
  readonly help?: string;
  /** A URL of the rule's page. */
  readonly helpUri?: string;
  /** Tags shown by dashboards, e.g. the rule's category. */
  readonly tags?: readonly string[];
}

/** Options of the SARIF document. */
export interface SarifOptions {
  /** The rules the run can report, in the order they should be listed. Codes seen in results but missing here are added. */
  readonly rules?: readonly SarifRuleInfo[];
  /** utrc's version, for `tool.driver.version`. */
  readonly toolVersion?: string;
  /** utrc's home page, for `tool.driver.informationUri`. */
  readonly informationUri?: string;
}

/** A SARIF region (1-based lines and columns; `endColumn` is exclusive). */
export interface SarifRegion {
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly charOffset: number;
  readonly charLength: number;
}

/** A SARIF physical location. */
export interface SarifPhysicalLocation {
  readonly artifactLocation: { readonly uri: string };
  readonly region: SarifRegion;
}

/** The SARIF log as a value (a subset of the schema: exactly what utrc writes). */
export interface SarifLog {
  readonly $schema: string;
  readonly version: typeof SARIF_VERSION;
  readonly runs: readonly [
    {
      readonly tool: {
        readonly driver: {
          readonly name: 'utrc';
          readonly version?: string;
          readonly informationUri?: string;
          readonly rules: readonly SarifReportingDescriptor[];
        };
      };
      readonly columnKind: 'utf16CodeUnits';
      readonly results: readonly SarifResult[];
    },
  ];
}

/** A rule as SARIF describes it. */
export interface SarifReportingDescriptor {
  readonly id: string;
  readonly name: string;
  readonly shortDescription: { readonly text: string };
  readonly fullDescription: { readonly text: string };
  readonly help?: { readonly text: string; readonly markdown: string };
  readonly helpUri?: string;
  readonly defaultConfiguration: { readonly level: SarifLevel };
  readonly properties: { readonly tags: readonly string[] };
}

/** One finding. */
export interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: SarifLevel;
  readonly message: { readonly text: string };
  readonly locations: readonly { readonly physicalLocation: SarifPhysicalLocation }[];
  readonly relatedLocations?: readonly {
    readonly id: number;
    readonly physicalLocation: SarifPhysicalLocation;
    readonly message: { readonly text: string };
  }[];
  readonly fixes?: readonly {
    readonly description: { readonly text: string };
    readonly artifactChanges: readonly {
      readonly artifactLocation: { readonly uri: string };
      readonly replacements: readonly {
        readonly deletedRegion: SarifRegion;
        readonly insertedContent: { readonly text: string };
      }[];
    }[];
  }[];
}

/** SARIF's severity levels. */
export type SarifLevel = 'error' | 'warning' | 'note';

const LEVEL: Readonly<Record<Severity, SarifLevel>> = { error: 'error', warning: 'warning', info: 'note' };

/** Builds the SARIF log as a value. */
export function toSarif(
  diagnostics: readonly Diagnostic[],
  sources: SourceLookup,
  options: SarifOptions = {},
): SarifLog {
  const rules: SarifRuleInfo[] = [...(options.rules ?? [])];
  const index = new Map<string, number>();
  rules.forEach((r, i) => {
    if (!index.has(r.code)) index.set(r.code, i);
  });
  for (const d of diagnostics) {
    if (index.has(d.code)) continue;
    index.set(d.code, rules.length);
    rules.push({ code: d.code, name: d.code.toLowerCase(), summary: d.message, severity: d.severity });
  }
  const results = diagnostics.map((d): SarifResult => {
    const source = sources.get(d.file);
    const notes = [...d.notes.map((n) => `note: ${n}`), ...(d.help ? [`help: ${d.help}`] : [])];
    const text = notes.length > 0 ? `${d.message}\n${notes.join('\n')}` : d.message;
    const related = d.related.map((r, i) => {
      const file = r.file ?? d.file;
      return { id: i + 1, physicalLocation: location(file, sources.get(file), r.span), message: { text: r.message } };
    });
    return {
      ruleId: d.code,
      ruleIndex: index.get(d.code) ?? 0,
      level: LEVEL[d.severity],
      message: { text },
      locations: [{ physicalLocation: location(d.file, source, d.span) }],
      ...(related.length > 0 ? { relatedLocations: related } : {}),
      ...(d.fix
        ? {
            fixes: [
              {
                description: { text: d.fix.title },
                artifactChanges: [
                  {
                    artifactLocation: { uri: toUri(d.file) },
                    replacements: d.fix.edits.map((e) => ({
                      deletedRegion: region(source, e.span),
                      insertedContent: { text: e.newText },
                    })),
                  },
                ],
              },
            ],
          }
        : {}),
    };
  });
  return {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: [
      {
        tool: {
          driver: {
            name: 'utrc',
            ...(options.toolVersion ? { version: options.toolVersion } : {}),
            ...(options.informationUri ? { informationUri: options.informationUri } : {}),
            rules: rules.map(descriptor),
          },
        },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

/** Renders the SARIF log as text, pretty-printed, ending with a newline. */
export function renderSarif(
  diagnostics: readonly Diagnostic[],
  sources: SourceLookup,
  options: SarifOptions = {},
): string {
  return JSON.stringify(toSarif(diagnostics, sources, options), null, 2) + '\n';
}

function descriptor(r: SarifRuleInfo): SarifReportingDescriptor {
  return {
    id: r.code,
    name: r.name,
    shortDescription: { text: r.summary },
    fullDescription: { text: r.summary },
    ...(r.help ? { help: { text: r.help, markdown: r.help } } : {}),
    ...(r.helpUri ? { helpUri: r.helpUri } : {}),
    defaultConfiguration: { level: LEVEL[r.severity] },
    properties: { tags: [...(r.tags ?? [])] },
  };
}

function location(file: string, source: SourceFile | undefined, span: Span): SarifPhysicalLocation {
  return { artifactLocation: { uri: toUri(file) }, region: region(source, span) };
}

function region(source: SourceFile | undefined, span: Span): SarifRegion {
  const end = Math.max(span.start, span.end);
  if (!source) {
    return {
      startLine: 1,
      startColumn: 1,
      endLine: 1,
      endColumn: 1,
      charOffset: span.start,
      charLength: end - span.start,
    };
  }
  const a = source.lineCol(span.start);
  const b = source.lineCol(end);
  return {
    startLine: a.line,
    startColumn: a.column,
    endLine: b.line,
    endColumn: b.column,
    charOffset: span.start,
    charLength: end - span.start,
  };
}

/** A file name as a SARIF URI: relative paths stay relative (resolved against the repository root by GitHub). */
export function toUri(file: string): string {
  const slashed = file.replace(/\\/g, '/');
  if (slashed.startsWith('/')) return `file://${encodeURI(slashed)}`;
  if (/^[A-Za-z]:\//.test(slashed)) return `file:///${encodeURI(slashed)}`;
  return encodeURI(slashed.replace(/^\.\//, ''));
}
