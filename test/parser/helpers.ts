/** Small helpers shared by the parser tests. */
import { SourceFile } from '../../src/diagnostics/source.js';
import { parse, type ParseResult } from '../../src/parser/index.js';

/** Parses `text` as a file named `test.utr`. */
export function parseText(text: string): ParseResult {
  return parse(new SourceFile('test.utr', text));
}

/** Parses `text` and fails with the diagnostics when there are any. */
export function parseClean(text: string): ParseResult {
  const r = parseText(text);
  if (r.diagnostics.length > 0) {
    throw new Error(`unexpected syntax diagnostics:\n${r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n')}`);
  }
  return r;
}

/** The text a span covers. */
export function spanText(text: string, span: { start: number; end: number }): string {
  return text.slice(span.start, span.end);
}

/** A node of the AST, as far as a generic walk needs to know. */
export interface AnyNode {
  readonly kind: string;
  readonly span: { readonly start: number; readonly end: number };
}

function isNode(v: unknown): v is AnyNode {
  return typeof v === 'object' && v !== null && 'kind' in v && 'span' in v;
}

/** The nodes directly below `node` (through arrays, and through string parts). */
export function children(node: AnyNode): AnyNode[] {
  const out: AnyNode[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'span' || key === 'fateSpan') continue;
    if (Array.isArray(value)) for (const v of value) if (isNode(v)) out.push(v);
    if (isNode(value)) out.push(value);
  }
  return out;
}

/** Visits every node with its parent and depth, without recursion (trees from hostile input can be deep). */
export function walk(root: AnyNode, visit: (node: AnyNode, parent: AnyNode | undefined, depth: number) => void): void {
  const stack: [AnyNode, AnyNode | undefined, number][] = [[root, undefined, 1]];
  while (stack.length > 0) {
    const [node, parent, depth] = stack.pop() as [AnyNode, AnyNode | undefined, number];
    visit(node, parent, depth);
    for (const c of children(node)) stack.push([c, node, depth + 1]);
  }
}

/** The height of the tree. */
export function maxDepth(root: AnyNode): number {
  let max = 0;
  walk(root, (_n, _p, d) => {
    if (d > max) max = d;
  });
  return max;
}
