/**
 * Extracts the ```utr fenced code blocks of a Markdown document, so documentation examples can be tested: each block
 * is a complete `.utr` file, with its line in the document for messages.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SourceFile } from '../../src/diagnostics/source.js';

/** One ```utr block of a document. */
export interface DocExample {
  /** The block's text, without the fences. */
  readonly code: string;
  /** One-based line of the opening fence in the document. */
  readonly line: number;
  /** The nearest heading above the block, to name the test. */
  readonly heading: string;
  /** The block as a source file named `DOC:LINE`, so diagnostics point back into the document. */
  readonly source: SourceFile;
}

/** The ```utr blocks of Markdown `text` (named `docName` in sources), in document order. */
export function extractUtrBlocks(text: string, docName: string): DocExample[] {
  const lines = text.split(/\r?\n/);
  const out: DocExample[] = [];
  let heading = '(top)';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const h = /^#{1,6}\s+(.*)$/.exec(line);
    if (h !== null) heading = h[1] ?? heading;
    const fence = /^(\s*)(`{3,}|~{3,})utr\s*$/.exec(line);
    if (fence === null) continue;
    const marker = fence[2] ?? '```';
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !(lines[j] ?? '').trim().startsWith(marker)) body.push(lines[j++] ?? '');
    if (j >= lines.length) throw new Error(`${docName}:${i + 1}: unclosed \`\`\`utr block`);
    const code = `${body.join('\n')}\n`;
    out.push({ code, line: i + 1, heading, source: new SourceFile(`${docName}:${i + 1}`, code) });
    i = j;
  }
  return out;
}

/** The ```utr blocks of a document of this repository, by path from the repository root (e.g. `docs/language.md`). */
export function docExamples(path: string): DocExample[] {
  const file = fileURLToPath(new URL(`../../${path}`, import.meta.url));
  return extractUtrBlocks(readFileSync(file, 'utf8'), path);
}
